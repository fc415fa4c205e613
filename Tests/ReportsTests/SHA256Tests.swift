import Foundation
import Testing

@testable import Reports

/// Reference digests: FIPS 180-4 / NIST CSVP examples ("abc", the 448-bit message) and the empty string; exact.
@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a' (several blocks, length field above 2^16 bits).
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The incremental form gives the one-shot digest whatever the chunking (pieces straddling block boundaries).
    @Test func chunkedUpdatesGiveTheSameDigest() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(message)
        for size in [1, 7, 63, 64, 65, 200] {
            var stream = SHA256.Stream()
            var start = 0
            while start < message.count {
                let end = min(start + size, message.count)
                message[start..<end].withUnsafeBytes { stream.update($0) }
                start = end
            }
            #expect(stream.finish() == whole, "chunks of \(size)")
        }
    }

    /// A file hashes to the digest of its bytes; a missing file is nil.
    @Test func fileDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000)
        try Data(bytes).write(to: url)
        #expect(
            SHA256.hex(contentsOfFile: url.path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex(contentsOfFile: url.path + ".missing") == nil)
    }
}

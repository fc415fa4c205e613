/// Builds and parses the engine's flow ids: `"<persona>::[<s1>><s2>>…]"` (SPEC §1.1).
public enum FlowID {
    public static func make(persona: String, steps: [String]) -> String {
        "\(persona)::[\(steps.joined(separator: ">"))]"
    }

    /// The persona and steps of a flow id, or nil when it is not of the form above.
    public static func parse(_ flowId: String) -> (persona: String, steps: [String])? {
        guard let separator = flowId.range(of: "::["), flowId.hasSuffix("]") else { return nil }
        let persona = String(flowId[..<separator.lowerBound])
        let inner = flowId[separator.upperBound..<flowId.index(before: flowId.endIndex)]
        let steps = inner.split(separator: ">", omittingEmptySubsequences: false).map(String.init)
        guard !persona.isEmpty, !steps.contains(where: \.isEmpty) else { return nil }
        return (persona, steps)
    }

    /// A stable identifier in UUID text form derived from `key` (deterministic, so identical runs write
    /// identical databases). Not an RFC 4122 random UUID: the version nibble is set to 8 ("custom").
    public static func stableUUID(_ key: String) -> String {
        var h1: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { h1 = (h1 ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let a = mix(h1)
        let b = mix(a ^ 0x5851_F42D_4C95_7F2D)
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        var chars = Array(hex)
        chars[12] = "8"
        let s = String(chars)
        let i = s.startIndex
        func sub(_ from: Int, _ to: Int) -> Substring { s[s.index(i, offsetBy: from)..<s.index(i, offsetBy: to)] }
        return "\(sub(0, 8))-\(sub(8, 12))-\(sub(12, 16))-\(sub(16, 20))-\(sub(20, 32))"
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A double-ended sequence stored in fixed chunks of 4,096 elements: appending never copies what is stored
/// (an array doubles and moves everything), removing from the front frees whole chunks, and the memory held
/// stays within one chunk of what the elements need. The memory store keeps its user records in one: users
/// arrive at the back and leave from the front after the window, so a flat array would either move every record
/// at each compaction or hold up to twice the records' size in spare capacity.
public struct ChunkedDeque<Element>: RandomAccessCollection {
    @usableFromInline static var chunkShift: Int { 12 }
    @usableFromInline static var chunkSize: Int { 1 << chunkShift }

    @usableFromInline var chunks: [[Element]] = []
    /// Elements already removed from the front of `chunks[0]`.
    @usableFromInline var offset = 0
    @usableFromInline var elementCount = 0
    @inlinable public var count: Int { elementCount }

    @inlinable public init() {}

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "index out of range")
            let absolute = offset + i
            return chunks[absolute >> Self.chunkShift][absolute & (Self.chunkSize - 1)]
        }
        _modify {
            precondition(i >= 0 && i < count, "index out of range")
            let absolute = offset + i
            yield &chunks[absolute >> Self.chunkShift][absolute & (Self.chunkSize - 1)]
        }
    }

    @inlinable public mutating func append(_ element: Element) {
        let absolute = offset + count
        if absolute >> Self.chunkShift == chunks.count {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[absolute >> Self.chunkShift].append(element)
        elementCount += 1
    }

    @discardableResult
    @inlinable public mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast on an empty ChunkedDeque")
        let absolute = offset + count - 1
        let element = chunks[absolute >> Self.chunkShift].removeLast()
        elementCount -= 1
        if chunks[chunks.count - 1].isEmpty {
            chunks.removeLast()
            if chunks.isEmpty { offset = 0 }
        }
        return element
    }

    /// Removes the first `n` elements; chunks left empty are freed.
    @inlinable public mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count, "removeFirst beyond the end")
        guard n > 0 else { return }
        elementCount -= n
        offset += n
        // Elements removed from a chunk still in use stay in it (at most 4,095) until the whole chunk goes:
        // chunk k must keep covering positions k·4096 ..< (k+1)·4096.
        let emptied = Swift.min(offset >> Self.chunkShift, chunks.count)
        chunks.removeFirst(emptied)
        offset -= emptied << Self.chunkShift
        if count == 0 {
            chunks.removeAll()
            offset = 0
        }
    }
}

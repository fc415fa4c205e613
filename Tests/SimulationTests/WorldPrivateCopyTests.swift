import Simulation
import Testing

/// `World.privateCopy()`, which each replicate runs on: equal values, no shared heap storage (so replicates on
/// different threads never write one reference count).
@Suite("World private copy")
struct WorldPrivateCopyTests {
    /// The address of an array's elements (nil for an empty array).
    static func address<T>(_ array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    /// The address of a string's UTF-8 bytes when they live on the heap (strings of up to 15 bytes are inline).
    static func address(_ string: String) -> UnsafeRawPointer? {
        guard string.utf8.count > 15 else { return nil }
        return string.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
    }

    static func world() -> World {
        let long = "a step name longer than fifteen bytes"
        var world = CommonRandomNumbersTests.world()
        world.personas[0].id = "a persona id longer than fifteen bytes"
        world.personas[0].activationEvent = long
        world.personas[0].flows[0].steps = [long, "x"]
        world.personas[0].v3Default[0].variant = "a variant longer than fifteen bytes"
        world.personas[0].flows[1].truth.funnel = Funnel(continuation: [0.9, 0.8], activationDepth: 1)
        world.inference = InferenceModel(periods: [(0, [[0.9, 0.1], nil])])
        return world
    }

    @Test func equalValuesInStorageOfItsOwn() throws {
        let world = Self.world()
        let copy = world.privateCopy()
        #expect(copy == world)
        #expect(Self.address(copy.personas) != Self.address(world.personas))
        for (a, b) in zip(world.personas, copy.personas) {
            #expect(Self.address(a.flows) != Self.address(b.flows))
            #expect(Self.address(a.v3Default) != Self.address(b.v3Default))
            if let d = a.deviation, let e = b.deviation {
                #expect(Self.address(d.from) != Self.address(e.from) && Self.address(d.to) != Self.address(e.to))
            }
            for (f, g) in zip(a.flows, b.flows) {
                #expect(Self.address(f.steps) != Self.address(g.steps))
                for (s, t) in zip(f.steps, g.steps) where Self.address(s) != nil {
                    #expect(Self.address(s) != Self.address(t), "step \(s) is shared")
                }
                if let u = f.truth.funnel, let v = g.truth.funnel {
                    #expect(Self.address(u.continuation) != Self.address(v.continuation))
                }
            }
        }
        let long = [
            (world.personas[0].id, copy.personas[0].id),
            (world.personas[0].activationEvent, copy.personas[0].activationEvent),
            (world.personas[0].v3Default[0].variant, copy.personas[0].v3Default[0].variant),
        ]
        for (a, b) in long {
            #expect(a == b)
            #expect(Self.address(a) != nil && Self.address(a) != Self.address(b), "\(a) is shared")
        }
        let rows = try #require(copy.inference?.periods.first?.rows.first ?? nil)
        let original = try #require(world.inference?.periods.first?.rows.first ?? nil)
        #expect(Self.address(rows) != Self.address(original))
    }
}

import Simulation
import Testing

/// The user id is written digit by digit: it must equal the interpolated `u<index>` for every width.
@Suite("Synthetic user ids")
struct SyntheticUserIdTests {
    @Test(arguments: [0, 7, 9, 10, 99, 100, 12_345, 999_999_999, 10_000_000_000_000, Int.max, -1, -42])
    func idIsTheInterpolatedIndex(index: Int) {
        let user = SyntheticUser(
            index: index, persona: 0, signupMinute: 0, uDeviation: 0, uActivation: 0, uTime: 0, uRetention: 0,
            uUpgrade: 0)
        #expect(user.id == "u\(index)")
        #expect(user.id.utf8.count == "u\(index)".utf8.count)
    }
}

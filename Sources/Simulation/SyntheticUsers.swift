import OnboardingEngine
import Stochastics

/// One synthetic user: persona, signup minute and the latent uniforms that fix its outcome under any flow
/// (SPEC §2.2, common random numbers).
public struct SyntheticUser: Sendable, Equatable {
    public var index: Int
    public var persona: Int
    public var signupMinute: Minute
    public var uDeviation: Double
    public var uActivation: Double
    public var uTime: Double
    public var uRetention: Double
    public var uUpgrade: Double
}

/// Draws arrivals and latent uniforms from a replicate's **user stream**.
///
/// Per day: the arrival count (Poisson or the rounded rate), then for each user, in order, seven uniforms:
/// persona, signup minute within the day, deviation, activation, time to win, retention, upgrade. Nothing the
/// engine or its settings do touches this stream, so every configuration of a sweep sees the same people.
public final class UserGenerator {
    let world: World
    let stream: RandomStream
    let shares: [Double]
    private var nextIndex = 0

    public init(world: World, seed: UInt64, replicate: Int) {
        self.world = world
        self.stream = RandomStream(master: seed, replicate: replicate, stream: .user)
        self.shares = world.personas.map(\.share)
    }

    /// The users who sign up on `day`, in time order (ties by draw order).
    public func arrivals(day: Int) -> [SyntheticUser] {
        let rate = world.traffic.rate(day: day)
        let count = world.traffic.poisson ? stream.poisson(rate) : Int(rate.rounded())
        var users: [SyntheticUser] = []
        users.reserveCapacity(count)
        for _ in 0..<count {
            let uPersona = stream.uniform()
            let uMinute = stream.uniform()
            let user = SyntheticUser(
                index: nextIndex, persona: WeightedChoice.index(shares, u: uPersona) ?? 0,
                signupMinute: day * Clock.minutesPerDay
                    + min(Int(uMinute * Double(Clock.minutesPerDay)), Clock.minutesPerDay - 1),
                uDeviation: stream.uniform(), uActivation: stream.uniform(), uTime: stream.uniform(),
                uRetention: stream.uniform(), uUpgrade: stream.uniform())
            nextIndex += 1
            users.append(user)
        }
        return Self.inTimeOrder(users, day: day)
    }

    /// Orders a day's users by signup minute, ties by draw order: a counting sort over the day's 1,440 minutes,
    /// stable, so it gives exactly what sorting by (minute, index) gives.
    static func inTimeOrder(_ users: [SyntheticUser], day: Int) -> [SyntheticUser] {
        guard users.count > 1 else { return users }
        let dayStart = day * Clock.minutesPerDay
        var starts = [Int](repeating: 0, count: Clock.minutesPerDay + 1)
        for u in users { starts[u.signupMinute - dayStart + 1] += 1 }
        for m in 0..<Clock.minutesPerDay { starts[m + 1] += starts[m] }
        var ordered = users
        for u in users {
            let m = u.signupMinute - dayStart
            ordered[starts[m]] = u
            starts[m] += 1
        }
        return ordered
    }
}

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
    /// The uniform that decides the inferred persona (from the `inference` stream; 0 without persona inference).
    public var uInference: Double = 0
    /// The uniforms that place the user's own activation and retention rates in their Beta distributions (from the
    /// `heterogeneity` stream; 0.5 when no flow's rates vary).
    public var hActivation: Double = 0.5
    public var hRetention: Double = 0.5
    /// The optional features' uniforms (``FeatureDraws``): 0 when the world does not use the feature.
    public var uFunnel: Double = 0
    public var uRetentionDelay: Double = 0
    public var uUpgradeDelay: Double = 0

    /// The user's id, `u<index>`: what the engine and `--export-users` call it. Written digit by digit into
    /// a small string (the simulator makes one per user; interpolation costs several times as much).
    public var id: String {
        guard index >= 0 else { return "u\(index)" }
        var digits = 1
        var rest = index
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return String(unsafeUninitializedCapacity: digits + 1) { buffer in
            buffer[0] = UInt8(ascii: "u")
            var rest = index
            for k in stride(from: digits, through: 1, by: -1) {
                buffer[k] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return digits + 1
        }
    }

    public init(
        index: Int, persona: Int, signupMinute: Minute, uDeviation: Double, uActivation: Double, uTime: Double,
        uRetention: Double, uUpgrade: Double, uInference: Double = 0, hActivation: Double = 0.5,
        hRetention: Double = 0.5, uFunnel: Double = 0, uRetentionDelay: Double = 0, uUpgradeDelay: Double = 0
    ) {
        self.index = index
        self.persona = persona
        self.signupMinute = signupMinute
        self.uDeviation = uDeviation
        self.uActivation = uActivation
        self.uTime = uTime
        self.uRetention = uRetention
        self.uUpgrade = uUpgrade
        self.uInference = uInference
        self.hActivation = hActivation
        self.hRetention = hRetention
        self.uFunnel = uFunnel
        self.uRetentionDelay = uRetentionDelay
        self.uUpgradeDelay = uUpgradeDelay
    }
}

/// Draws arrivals and latent uniforms from a replicate's **user stream**.
///
/// Per day: the arrival count (Poisson or the rounded rate), then for each user, in order, seven uniforms:
/// persona, signup minute within the day, deviation, activation, time to win, retention, upgrade. Nothing the
/// engine or its settings do touches this stream, so every configuration of a sweep sees the same people.
///
/// The optional phenomena (persona inference, heterogeneity, funnels, outcome delays) draw from streams of their
/// own (``FeatureDraws``), so a world without them draws exactly what it always did.
public final class UserGenerator {
    let world: World
    let stream: RandomStream
    let shares: [Double]
    let featureDraws: FeatureDraws?
    private var nextIndex = 0

    public init(world: World, seed: UInt64, replicate: Int) {
        self.world = world
        self.stream = RandomStream(master: seed, replicate: replicate, stream: .user)
        self.shares = world.personas.map(\.share)
        self.featureDraws = FeatureDraws(world: world, seed: seed, replicate: replicate)
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
            var user = SyntheticUser(
                index: nextIndex, persona: WeightedChoice.index(shares, u: uPersona) ?? 0,
                signupMinute: day * Clock.minutesPerDay
                    + min(Int(uMinute * Double(Clock.minutesPerDay)), Clock.minutesPerDay - 1),
                uDeviation: stream.uniform(), uActivation: stream.uniform(), uTime: stream.uniform(),
                uRetention: stream.uniform(), uUpgrade: stream.uniform())
            featureDraws?.draw(into: &user)
            nextIndex += 1
            users.append(user)
        }
        return MinuteOrder.sorted(users, day: day) { $0.signupMinute }
    }
}

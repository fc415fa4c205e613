/// Derives the seed of one named random stream from the scenario's master seed.
///
/// The derivation is part of the lab's output contract (results must be reproducible from the scenario alone):
///
/// ```
/// key   = FNV-1a-64(UTF-8 bytes of the stream name)
/// x     = master_seed
/// x     = splitmix64(x ^ 0x9E3779B97F4A7C15)
/// x     = splitmix64(x ^ replicate)
/// x     = splitmix64(x ^ key)
/// seed  = (x >> 32) ^ (x & 0xFFFF_FFFF), replaced by 1 when it is 0
/// ```
///
/// `splitmix64` is the finaliser of Steele, Lea & Flood, "Fast splittable pseudorandom number generators"
/// (OOPSLA 2014). The 32-bit fold matches what `gsl_rng_mt19937` actually reads from its seed (GSL manual §18.12:
/// mt19937 uses the low 32 bits), and 0 is avoided because GSL maps seed 0 to its own default.
public enum SeedDerivation {
    /// The stream names the lab uses. Any other name is allowed; these are the documented ones.
    public enum Stream: String, Sendable, CaseIterable {
        /// Arrivals and the latent uniforms of every synthetic user (common random numbers).
        case user
        /// Every draw of the assignment policy (exploration, v3 split, Thompson samples).
        case policy
        /// Fault injection (which nightly jobs fail).
        case faults
        /// The runtime's persona inference (scenarios with `persona_inference`).
        case inference
        /// Users' own rates around a flow's (scenarios with a `concentration`).
        case heterogeneity
        /// One uniform per user for its walk through a step funnel; drawn only when the world has a funnel.
        case funnel
        /// Two uniforms per user (retention, then upgrade) for the delays at which those outcomes are recorded;
        /// drawn only when the world has outcome delays.
        case delays
    }

    public static func seed(master: UInt64, replicate: Int, stream: String) -> UInt64 {
        var x = splitmix64(master ^ 0x9E37_79B9_7F4A_7C15)
        x = splitmix64(x ^ UInt64(truncatingIfNeeded: replicate))
        x = splitmix64(x ^ fnv1a64(stream))
        let folded = (x >> 32) ^ (x & 0xFFFF_FFFF)
        return folded == 0 ? 1 : folded
    }

    public static func seed(master: UInt64, replicate: Int, stream: Stream) -> UInt64 {
        seed(master: master, replicate: replicate, stream: stream.rawValue)
    }

    @inlinable
    public static func splitmix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// SplitMix64 seeded once from the system generator: random enough for trace IDs and weighted
/// choices, without the `getrandom(2)` call that ``SystemRandomNumberGenerator`` makes for
/// every number. Not for secrets.
struct FastRandomNumberGenerator: RandomNumberGenerator {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// A generator that repeats its sequence (for tests of random choices).
    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

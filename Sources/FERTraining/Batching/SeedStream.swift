// Deterministic random streams derived from one user seed: a stream for the
// epoch's order and one per (epoch, sample), so augmentation never depends on
// which thread prepared a batch or how batches were cut. SplitMix64; not for
// cryptography and not the engine's RNG (that one drives init and dropout).

public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi), 24 bits of resolution.
    @inline(__always)
    public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// True with probability p.
    @inline(__always)
    public mutating func chance(_ p: Float) -> Bool { p > 0 && uniform(0, 1) < p }
}

public enum SeedStream {
    /// A seed mixed from a base seed and any number of parts (epoch, sample index, purpose tag).
    public static func derive(_ seed: UInt64, _ parts: UInt64...) -> UInt64 {
        var g = SplitMix64(seed: seed)
        var h = g.next()
        for p in parts {
            g = SplitMix64(seed: h ^ (p &* 0xD6E8_FEB8_6659_FD93))
            h = g.next()
        }
        return h
    }

    static let orderTag: UInt64 = 0x6F72_6465_72   // "order"
    static let augmentTag: UInt64 = 0x6175_676D    // "augm"

    /// Generator for the sample order of one epoch.
    public static func order(seed: UInt64, epoch: Int) -> SplitMix64 {
        SplitMix64(seed: derive(seed, orderTag, UInt64(epoch)))
    }

    /// Generator for the augmentation of one sample in one epoch.
    public static func sample(seed: UInt64, epoch: Int, index: Int) -> SplitMix64 {
        SplitMix64(seed: derive(seed, augmentTag, UInt64(epoch), UInt64(index)))
    }
}

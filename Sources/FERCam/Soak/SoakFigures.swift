// The figures of a soak run (fer-bench soak) from its /proc samples, and the
// rule that calls the process flat (not leaking memory, descriptors or
// threads). Pure arithmetic over samples; sampling lives in ProcSampler.
import Foundation

/// When a soak run counts as flat. All three must hold:
/// 1. RSS: the least-squares slope of VmRSS over the samples after warm-up is at most
///    max(rssFloorKBPerHour, rssFractionPerHour × RSS at warm-up end) per hour;
/// 2. descriptors: with no clients connected, fds at the end ≤ fds before the clients started + fdSlack
///    (fer-bench soak takes the first once start-up has settled, the second once the server has let
///    go of the departed clients, bounded by its stalled-client timeout);
/// 3. threads: the most threads after warm-up ≤ the most during warm-up + threadSlack.
public struct FlatnessRule: Sendable, Equatable {
    public var rssFloorKBPerHour: Double = 16_384
    public var rssFractionPerHour: Double = 0.05
    public var fdSlack: Int = 2
    public var threadSlack: Int = 4
    /// Fewer samples after warm-up than this: no verdict (not flat).
    public var minSamplesAfterWarmup: Int = 3

    public init() {}

    public var text: String {
        "after warm-up: RSS slope <= max(\(Int(rssFloorKBPerHour)) kB, \(rssFractionPerHour * 100)% of warm-up RSS) per hour; "
            + "quiet fds at end <= quiet fds at start + \(fdSlack); max threads <= max during warm-up + \(threadSlack)"
    }
}

public struct SoakFigures: Sendable, Equatable {
    public var warmupSeconds: Double
    public var samplesAfterWarmup: Int
    /// VmRSS kB: the first sample at or after warm-up end, the last sample, the largest.
    public var rssWarmupKB: Int
    public var rssEndKB: Int
    public var rssMaxKB: Int
    /// Least-squares slope of VmRSS after warm-up, kB per hour (0 with fewer than 2 samples).
    public var rssGrowthKBPerHour: Double
    /// Over the samples after warm-up.
    public var fdsMin: Int, fdsMax: Int
    public var threadsMin: Int, threadsMax: Int
    /// The most threads up to warm-up end.
    public var threadsMaxWarmup: Int
    /// Samples taken with no clients connected: before they start, after they stop.
    public var quietStart: ProcSample?
    public var quietEnd: ProcSample?

    /// samples: in time order, at least one. warmupSeconds: samples with t < warmupSeconds are warm-up.
    public init(samples: [ProcSample], warmupSeconds: Double, quietStart: ProcSample? = nil, quietEnd: ProcSample? = nil) {
        precondition(!samples.isEmpty, "SoakFigures needs at least one sample")
        self.warmupSeconds = warmupSeconds
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        let warm = samples.filter { $0.t < warmupSeconds }
        var after = samples.filter { $0.t >= warmupSeconds }
        samplesAfterWarmup = after.count
        if after.isEmpty { after = [samples.last!] }
        rssWarmupKB = after.first!.rssKB
        rssEndKB = samples.last!.rssKB
        rssMaxKB = samples.map(\.rssKB).max()!
        rssGrowthKBPerHour = Self.slope(after.map { ($0.t, Double($0.rssKB)) }) * 3600
        fdsMin = after.map(\.fds).min()!
        fdsMax = after.map(\.fds).max()!
        threadsMin = after.map(\.threads).min()!
        threadsMax = after.map(\.threads).max()!
        threadsMaxWarmup = (warm.isEmpty ? after : warm).map(\.threads).max()!
    }

    /// Least-squares slope dy/dx; 0 with fewer than 2 points or no spread in x.
    public static func slope(_ points: [(x: Double, y: Double)]) -> Double {
        guard points.count >= 2 else { return 0 }
        let n = Double(points.count)
        let mx = points.map(\.x).reduce(0, +) / n, my = points.map(\.y).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for p in points { sxy += (p.x - mx) * (p.y - my); sxx += (p.x - mx) * (p.x - mx) }
        return sxx > 0 ? sxy / sxx : 0
    }

    /// flat: the rule holds; reasons: why not (empty when flat).
    public func verdict(_ rule: FlatnessRule = FlatnessRule()) -> (flat: Bool, reasons: [String]) {
        var reasons: [String] = []
        if samplesAfterWarmup < rule.minSamplesAfterWarmup {
            reasons.append("only \(samplesAfterWarmup) samples after the \(Int(warmupSeconds)) s warm-up (need \(rule.minSamplesAfterWarmup)): run longer")
        }
        let rssLimit = max(rule.rssFloorKBPerHour, rule.rssFractionPerHour * Double(rssWarmupKB))
        if rssGrowthKBPerHour > rssLimit {
            reasons.append("RSS grows \(Int(rssGrowthKBPerHour)) kB/h after warm-up (limit \(Int(rssLimit)) kB/h)")
        }
        if let s = quietStart, let e = quietEnd {
            if e.fds > s.fds + rule.fdSlack { reasons.append("open fds with no clients: \(s.fds) at start, \(e.fds) at end (slack \(rule.fdSlack))") }
        } else {
            reasons.append("no quiet fd samples (before and after the clients) to compare")
        }
        if threadsMax > threadsMaxWarmup + rule.threadSlack {
            reasons.append("threads reach \(threadsMax) after warm-up, at most \(threadsMaxWarmup) during it (slack \(rule.threadSlack))")
        }
        return (reasons.isEmpty, reasons)
    }
}

// The rolling full scan: picks which ScanPlan tiles to search on this pass so
// that the whole frame, at every face size, is searched once per `busyPeriod`
// seconds of source time while something moves (once per `stillPeriod` in a
// still scene), its cost spread evenly over frames (a token bucket of search
// pixels; no frame pays for a whole scan). Tiles where motion was seen since
// their last search go first, then the longest unsearched, cheapest first
// among never-searched ones (big faces are cheap to find). So a new face is
// found within one period at most, one that moved in much sooner.
// It does not run the cascade or find motion (MotionGate).
import FERVision

public final class RollingScan {
    public let plan: ScanPlan
    public let busyPeriod: Double
    public let stillPeriod: Double
    private var lastSearched: [Double]   // per tile: source time of its last search; -inf = never
    private var dirty: [Bool]            // per tile: motion seen since its last search
    private var tokens: Double = 0
    private var lastTime: Double?
    private let maxTileCost: Int

    public init(plan: ScanPlan, busyPeriod: Double, stillPeriod: Double) {
        precondition(busyPeriod > 0 && stillPeriod >= busyPeriod)
        self.plan = plan
        self.busyPeriod = busyPeriod
        self.stillPeriod = stillPeriod
        lastSearched = Array(repeating: -.infinity, count: plan.tiles.count)
        dirty = Array(repeating: false, count: plan.tiles.count)
        maxTileCost = plan.tiles.map(\.cost).max() ?? 1
    }

    /// The tiles to search on a pass at source time `now` (seconds). `motion`: where the picture
    /// changed since the last pass (frame pixels); nil when there is no motion gate, which
    /// scans at the busy rate with no order but age.
    public func next(now: Double, motion: [Box]?) -> [ScanTile] {
        for (i, t) in plan.tiles.enumerated() where !dirty[i] {
            if motion?.contains(where: { !$0.intersection(t.job.region).isEmpty }) == true { dirty[i] = true }
        }
        // Busy: something moves, there is no gate, or the first full scan is not done yet.
        let busy = motion.map { !$0.isEmpty } ?? true || lastSearched.contains(-.infinity)
        let dt = lastTime.map { max(0, min(1, now - $0)) } ?? 0
        lastTime = now
        tokens += Double(plan.totalCost) * dt / (busy ? busyPeriod : stillPeriod)
        // Never bank more than one big tile: after a pause the scan resumes at its rate, no burst.
        tokens = min(tokens, Double(maxTileCost))
        var picked: [ScanTile] = []
        while tokens > 0, let i = best() {
            picked.append(plan.tiles[i])
            tokens -= Double(plan.tiles[i].cost)
            lastSearched[i] = now
            dirty[i] = false
        }
        return picked
    }

    /// Every tile, now (a new picture: a still image, a scene cut). Resets the ages.
    public func all(now: Double) -> [ScanTile] {
        for i in plan.tiles.indices { lastSearched[i] = now; dirty[i] = false }
        lastTime = now
        tokens = 0
        return plan.tiles
    }

    /// Dirty first, then the oldest search, then the cheapest. Tiles already searched at this
    /// very time are not picked twice.
    private func best() -> Int? {
        var best: Int?
        for i in plan.tiles.indices where lastSearched[i] != lastTime {
            guard let b = best else { best = i; continue }
            if dirty[i] != dirty[b] { if dirty[i] { best = i }; continue }
            if lastSearched[i] != lastSearched[b] { if lastSearched[i] < lastSearched[b] { best = i }; continue }
            if plan.tiles[i].cost < plan.tiles[b].cost { best = i }
        }
        return best
    }
}

// The rolling full scan: picks which ScanPlan tiles to search on this pass.
// Two budgets of cascade windows (token buckets, so the cost is spread evenly
// over frames and no frame pays for a whole scan):
// - urgent, one full scan per `busyPeriod` seconds of source time, spent only
//   on tiles where the MotionGate saw change since their last search (each at
//   most every `minRescan` s), oldest first, then on tiles never searched yet
//   (HaarFaceDetector searches a new picture whole and marks every tile
//   searched with `all`, so these are left only where no one did);
// - routine, spent on the tiles searched longest ago, whatever moved, but
//   only when some tile would otherwise go unsearched for longer than
//   `stillPeriod` (earliest deadline first, at up to 1 / routineHeadroom full
//   scans per `stillPeriod`): a face that never moves is found within
//   `stillPeriod` at most, a still scene costs one full scan per
//   `stillPeriod`, and where the urgent scans already keep every tile fresh
//   (motion all over) it costs nothing.
// So the cost follows the motion in the picture, as in an NVR, and a still
// empty scene costs a full scan per `stillPeriod`. Without a gate (motion nil)
// every tile counts as changed: a full scan per `busyPeriod`, oldest first.
// Among equally old tiles the cheapest goes first (big faces are cheap to find).
// It does not run the cascade or find motion.
import FERVision

public final class RollingScan {
    public let plan: ScanPlan
    public let busyPeriod: Double
    public let stillPeriod: Double
    /// Seconds between two motion-driven searches of one tile.
    public static let minRescan = 1.0
    /// The routine scan, when behind, runs at 1 / routineHeadroom of one full scan per
    /// stillPeriod: the room to wait until it is needed and still meet every tile's deadline.
    public static let routineHeadroom = 0.9
    /// Seconds of slack the routine keeps before a deadline (passes come at frame times).
    public static let routineSlack = 1.0
    private var lastSearched: [Double]   // per tile: source time of its last search; -inf = never
    private var dirty: [Bool]            // per tile: motion seen since its last search
    private var urgent: Double = 0       // cascade windows available for changed tiles
    private var routine: Double = 0      // cascade windows available for the oldest tiles
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
    /// changed since the last pass (frame pixels); nil when there is no motion gate.
    public func next(now: Double, motion: [Box]?) -> [ScanTile] {
        for (i, t) in plan.tiles.enumerated() where !dirty[i] {
            if motion?.contains(where: { !$0.intersection(t.job.region).isEmpty }) ?? true { dirty[i] = true }
        }
        let dt = lastTime.map { max(0, min(1, now - $0)) } ?? 0
        lastTime = now
        // Never bank more than one big tile: after a pause the scan resumes at its pace, no burst.
        let total = Double(plan.totalCost), cap = Double(maxTileCost)
        urgent = min(cap, urgent + total * dt / busyPeriod)
        let routineRate = total / (stillPeriod * Self.routineHeadroom)   // cascade windows per second
        routine = min(cap, routine + routineRate * dt)
        var picked: [ScanTile] = []
        func take(_ i: Int) -> Double {
            picked.append(plan.tiles[i])
            lastSearched[i] = now
            dirty[i] = false
            return Double(plan.tiles[i].cost)
        }
        // Changed tiles first (each at most every minRescan: a region that keeps moving does not
        // take the whole budget), then the never-searched ones.
        let due = now - Self.minRescan
        while urgent > 0, let i = oldest(where: { self.dirty[$0] && self.lastSearched[$0] <= due })
                                  ?? oldest(where: { self.lastSearched[$0] == -.infinity }) {
            urgent -= take(i)
        }
        if behind(now: now, rate: routineRate) {
            while routine > 0, let i = oldest(where: { _ in true }) { routine -= take(i) }
        }
        return picked
    }

    /// Whether the routine must search now to bring every tile's search within stillPeriod of
    /// the last: some k oldest tiles cost more than `rate` (windows per second) can search
    /// before the youngest of them is due (less routineSlack). Never-searched tiles are due now.
    private func behind(now: Double, rate: Double) -> Bool {
        var cost = 0.0
        for i in plan.tiles.indices.sorted(by: { lastSearched[$0] < lastSearched[$1] }) {
            cost += Double(plan.tiles[i].cost)
            let left = stillPeriod - (now - lastSearched[i]) - min(Self.routineSlack, stillPeriod / 10)   // -inf: never searched
            if cost > rate * left { return true }
        }
        return false
    }

    /// Every tile, now (a new picture: a still image). Resets the ages.
    public func all(now: Double) -> [ScanTile] {
        for i in plan.tiles.indices { lastSearched[i] = now; dirty[i] = false }
        lastTime = now
        (urgent, routine) = (0, 0)
        return plan.tiles
    }

    /// Among the tiles that pass `wanted` and were not searched at this very time: the one
    /// searched longest ago, the cheapest among equals.
    private func oldest(where wanted: (Int) -> Bool) -> Int? {
        var best: Int?
        for i in plan.tiles.indices where lastSearched[i] != lastTime && wanted(i) {
            guard let b = best else { best = i; continue }
            if lastSearched[i] != lastSearched[b] { if lastSearched[i] < lastSearched[b] { best = i }; continue }
            if plan.tiles[i].cost < plan.tiles[b].cost { best = i }
        }
        return best
    }
}

// The rolling full scan: picks which ScanPlan tiles to search on this pass.
// Two budgets of cascade windows (token buckets, so the cost is spread evenly
// over frames and no frame pays for a whole scan):
// - urgent, one full scan per `busyPeriod` seconds of source time, spent only
//   where the MotionGate saw change since the last search there: in each tile
//   over the changed spots, grown by the reach of the tile's faces (a face over
//   a changed spot lies whole inside; on group-1080p a moving photo's corner
//   cost 48-k-window searches instead of 480-k tiles), each tile at most every
//   `minRescan` s, oldest first; then on tiles never searched yet
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
    private var lastSearched: [Double]   // per tile: source time of its last whole search; -inf = never
    private var lastMoved: [Double]      // per tile: source time of its last motion-driven search
    private var changed: [Box?]          // per tile: where motion (grown by its reach) was seen since, inside it
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
        lastMoved = lastSearched
        changed = Array(repeating: nil, count: plan.tiles.count)
        maxTileCost = plan.tiles.map(\.cost).max() ?? 1
    }

    /// The tiles, or parts of tiles (ScanTile.partial), to search on a pass at source time `now`
    /// (seconds). `motion`: where the picture changed since the last pass (frame pixels); nil
    /// when there is no motion gate (every tile changed all over).
    public func next(now: Double, motion: [Box]?) -> [ScanTile] {
        for (i, t) in plan.tiles.enumerated() {
            for spot in motion ?? [t.job.region] {
                let part = spot.grown(by: t.reach).intersection(t.job.region)
                if !part.isEmpty { changed[i] = changed[i]?.union(part) ?? part }
            }
        }
        let dt = lastTime.map { max(0, min(1, now - $0)) } ?? 0
        lastTime = now
        // Never bank more than one big tile: after a pause the scan resumes at its pace, no burst.
        let total = Double(plan.totalCost), cap = Double(maxTileCost)
        urgent = min(cap, urgent + total * dt / busyPeriod)
        let routineRate = total / (stillPeriod * Self.routineHeadroom)   // cascade windows per second
        routine = min(cap, routine + routineRate * dt)
        var picked: [ScanTile] = []
        /// Searches tile i where it changed (`whole`: all of it) and returns the cost.
        func take(_ i: Int, whole: Bool) -> Double {
            let tile = whole ? plan.tiles[i] : plan.part(of: plan.tiles[i], in: changed[i] ?? plan.tiles[i].job.region)
            picked.append(tile)
            if !tile.partial { lastSearched[i] = now }
            lastMoved[i] = now
            changed[i] = nil
            return Double(tile.cost)
        }
        // Changed tiles first (each at most every minRescan: a region that keeps moving does not
        // take the whole budget), then the never-searched ones.
        let due = now - Self.minRescan
        while urgent > 0, let i = oldest(by: lastMoved, where: { self.changed[$0] != nil && self.lastMoved[$0] <= due }) {
            urgent -= take(i, whole: false)
        }
        while urgent > 0, let i = oldest(by: lastSearched, where: { self.lastSearched[$0] == -.infinity }) {
            urgent -= take(i, whole: true)
        }
        if behind(now: now, rate: routineRate) {
            while routine > 0, let i = oldest(by: lastSearched, where: { _ in true }) { routine -= take(i, whole: true) }
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
        for i in plan.tiles.indices { (lastSearched[i], lastMoved[i], changed[i]) = (now, now, nil) }
        lastTime = now
        (urgent, routine) = (0, 0)
        return plan.tiles
    }

    /// Among the tiles that pass `wanted` and were not searched at this very time: the one
    /// with the oldest `ages` entry, the cheapest among equals.
    private func oldest(by ages: [Double], where wanted: (Int) -> Bool) -> Int? {
        var best: Int?
        for i in plan.tiles.indices where lastMoved[i] != lastTime && wanted(i) {
            guard let b = best else { best = i; continue }
            if ages[i] != ages[b] { if ages[i] < ages[b] { best = i }; continue }
            if plan.tiles[i].cost < plan.tiles[b].cost { best = i }
        }
        return best
    }
}

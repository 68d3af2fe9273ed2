// Follows faces across frames: gives each a stable id, matches new detections
// to existing tracks (IoU first, centre distance as a fallback for fast moves),
// tolerates a few detection passes without a match, and smooths boxes and
// probabilities per track (EMA; never one window shared by all faces).
// It does not detect, classify or decide which events to emit.
import FERNet
import FERVision

public struct TrackerConfig: Sendable, Equatable {
    /// Minimum IoU for a detection to continue a track.
    public var matchIoU: Double = 0.3
    /// Fallback: centres closer than this fraction of the larger box width match.
    public var maxCentreDistance: Double = 0.5
    /// Detection passes a track may go unmatched before it ends.
    public var maxMissed: Int = 2
    /// EMA weight of the newest probabilities (1 = no smoothing).
    public var probabilityAlpha: Double = 0.4
    /// EMA weight of the newest box (1 = no smoothing).
    public var boxAlpha: Double = 0.6

    public init() {}
}

public struct Track: Sendable, Equatable {
    public let id: Int
    /// Smoothed box in frame pixels.
    public var box: Box
    /// Smoothed probabilities; nil until first classified.
    public var probabilities: [Float]?
    /// Consecutive detection passes without a match.
    public var missed: Int
    /// True when the latest detection pass matched it.
    public var detectedNow: Bool
}

public final class Tracker {
    public let config: TrackerConfig
    public private(set) var tracks: [Track] = []
    private var nextID = 1

    public init(config: TrackerConfig = TrackerConfig()) {
        self.config = config
    }

    /// One detection pass. Returns the ids of new tracks and the tracks that ended.
    @discardableResult
    public func update(detections: [Box]) -> (created: [Int], ended: [Track]) {
        var pairs: [(score: Double, t: Int, d: Int)] = []
        for (ti, t) in tracks.enumerated() {
            for (di, d) in detections.enumerated() {
                let iou = t.box.iouValue(d)
                if iou >= config.matchIoU {
                    pairs.append((1 + iou, ti, di))
                } else {
                    let dist = t.box.centreDistance(d)
                    let limit = config.maxCentreDistance * Double(max(t.box.width, d.width))
                    if dist < limit { pairs.append((1 - dist / limit, ti, di)) }   // always below any IoU match
                }
            }
        }
        pairs.sort { $0.score > $1.score }
        var trackUsed = [Bool](repeating: false, count: tracks.count)
        var detUsed = [Bool](repeating: false, count: detections.count)
        for p in pairs where !trackUsed[p.t] && !detUsed[p.d] {
            trackUsed[p.t] = true
            detUsed[p.d] = true
            tracks[p.t].box = blend(tracks[p.t].box, detections[p.d], alpha: config.boxAlpha)
            tracks[p.t].missed = 0
            tracks[p.t].detectedNow = true
        }
        var ended: [Track] = []
        var kept: [Track] = []
        for (ti, var t) in tracks.enumerated() {
            if !trackUsed[ti] {
                t.missed += 1
                t.detectedNow = false
                if t.missed > config.maxMissed { ended.append(t); continue }
            }
            kept.append(t)
        }
        var created: [Int] = []
        for (di, d) in detections.enumerated() where !detUsed[di] {
            kept.append(Track(id: nextID, box: d, probabilities: nil, missed: 0, detectedNow: true))
            created.append(nextID)
            nextID += 1
        }
        tracks = kept
        return (created, ended)
    }

    /// Marks a frame without a detection pass: boxes are kept as they are.
    public func carryOver() {
        for i in tracks.indices { tracks[i].detectedNow = false }
    }

    /// Folds a new classification into the track's EMA.
    public func observe(id: Int, probabilities p: [Float]) {
        guard let i = tracks.firstIndex(where: { $0.id == id }) else { return }
        if let old = tracks[i].probabilities, old.count == p.count {
            let a = Float(config.probabilityAlpha)
            tracks[i].probabilities = zip(old, p).map { (1 - a) * $0 + a * $1 }
        } else {
            tracks[i].probabilities = p
        }
    }

    /// Ends every track (shutdown, scene cut).
    public func endAll() -> [Track] {
        let all = tracks
        tracks = []
        return all
    }

    private func blend(_ old: Box, _ new: Box, alpha: Double) -> Box {
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) * (1 - alpha) + Double(b) * alpha).rounded()) }
        return Box(x: mix(old.x, new.x), y: mix(old.y, new.y), width: mix(old.width, new.width), height: mix(old.height, new.height))
    }
}

extension Box {
    /// Intersection over union with integer pixel boxes.
    func iouValue(_ o: Box) -> Double {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(x + width, o.x + o.width), y1 = min(y + height, o.y + o.height)
        let inter = Double(max(0, x1 - x0)) * Double(max(0, y1 - y0))
        let union = Double(width * height) + Double(o.width * o.height) - inter
        return union > 0 ? inter / union : 0
    }

    func centreDistance(_ o: Box) -> Double {
        let dx = Double(2 * x + width - 2 * o.x - o.width) / 2
        let dy = Double(2 * y + height - 2 * o.y - o.height) / 2
        return (dx * dx + dy * dy).squareRoot()
    }
}

// Follows faces across frames: gives each a stable id, matches new detections
// to existing tracks (IoU first, centre distance as a fallback for fast moves),
// tolerates a few detection passes without a match, smooths boxes and
// probabilities per track (EMA; never one window shared by all faces), and
// between detection passes moves each box along its measured velocity.
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
    /// Move boxes along their velocity between detection passes (false: hold them).
    public var followVelocity: Bool = true
    /// EMA weight of the newest velocity measurement.
    public var velocityAlpha: Double = 0.5
    /// A predicted box moves at most this fraction of its width away from its last detection.
    public var maxShift: Double = 0.5

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
    /// Centre velocity in pixels per frame (from consecutive raw detections).
    public var velocityX: Double = 0
    public var velocityY: Double = 0
    /// The box and frame of the last matched detection (smoothed box, raw detection).
    var anchor: Box
    var anchorFrame: Int
    var lastDetection: Box

    init(id: Int, box: Box, probabilities: [Float]?, missed: Int, detectedNow: Bool, frame: Int = 0) {
        self.id = id
        self.box = box
        self.probabilities = probabilities
        self.missed = missed
        self.detectedNow = detectedNow
        anchor = box
        anchorFrame = frame
        lastDetection = box
    }
}

public final class Tracker {
    public let config: TrackerConfig
    public private(set) var tracks: [Track] = []
    private var nextID = 1
    private var currentFrame = -1

    public init(config: TrackerConfig = TrackerConfig()) {
        self.config = config
    }

    /// One detection pass on frame `frame` (default: the frame after the last one).
    /// Returns the ids of new tracks and the tracks that ended.
    @discardableResult
    public func update(detections: [Box], frame: Int? = nil) -> (created: [Int], ended: [Track]) {
        let f = frame ?? currentFrame + 1
        currentFrame = f
        predict(to: f)
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
            let det = detections[p.d]
            var t = tracks[p.t]
            let dt = Double(max(1, f - t.anchorFrame))
            let (ox, oy) = t.lastDetection.centreXY, (nx, ny) = det.centreXY
            let a = config.velocityAlpha
            t.velocityX = a * (nx - ox) / dt + (1 - a) * t.velocityX
            t.velocityY = a * (ny - oy) / dt + (1 - a) * t.velocityY
            t.box = blend(t.box, det, alpha: config.boxAlpha)
            t.anchor = t.box
            t.anchorFrame = f
            t.lastDetection = det
            t.missed = 0
            t.detectedNow = true
            tracks[p.t] = t
        }
        var ended: [Track] = []
        var kept: [Track] = []
        for (ti, var t) in tracks.enumerated() {
            if !trackUsed[ti] {
                t.missed += 1
                t.detectedNow = false
                t.velocityX *= 0.5   // lost: slow the prediction down
                t.velocityY *= 0.5
                if t.missed > config.maxMissed { ended.append(t); continue }
            }
            kept.append(t)
        }
        var created: [Int] = []
        for (di, d) in detections.enumerated() where !detUsed[di] {
            kept.append(Track(id: nextID, box: d, probabilities: nil, missed: 0, detectedNow: true, frame: f))
            created.append(nextID)
            nextID += 1
        }
        tracks = kept
        return (created, ended)
    }

    /// A frame without a detection pass (default: the frame after the last
    /// one): boxes move along their velocity (or stay, with followVelocity off).
    public func carryOver(frame: Int? = nil) {
        let f = frame ?? currentFrame + 1
        currentFrame = f
        predict(to: f)
        for i in tracks.indices { tracks[i].detectedNow = false }
    }

    /// Places every box where its velocity says it is at frame f, at most
    /// maxShift × width from where it was last detected.
    private func predict(to f: Int) {
        guard config.followVelocity else { return }
        for i in tracks.indices {
            let t = tracks[i]
            let dt = Double(f - t.anchorFrame)
            let limit = config.maxShift * Double(t.anchor.width)
            let dx = max(-limit, min(limit, t.velocityX * dt)), dy = max(-limit, min(limit, t.velocityY * dt))
            tracks[i].box = Box(x: t.anchor.x + Int(dx.rounded()), y: t.anchor.y + Int(dy.rounded()),
                                width: t.anchor.width, height: t.anchor.height)
        }
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

    var centreXY: (Double, Double) { (Double(x) + Double(width) / 2, Double(y) + Double(height) / 2) }

    func centreDistance(_ o: Box) -> Double {
        let dx = Double(2 * x + width - 2 * o.x - o.width) / 2
        let dy = Double(2 * y + height - 2 * o.y - o.height) / 2
        return (dx * dx + dy * dy).squareRoot()
    }
}

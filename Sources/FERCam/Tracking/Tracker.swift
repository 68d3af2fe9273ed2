// Follows faces across frames: matches new detections to existing tracks (IoU
// first, centre distance as a fallback for fast moves), confirms a track only
// once it has been detected `minHits` times (a one-frame false positive stays
// tentative, gets no id and emits nothing), gives each confirmed track a stable
// id, keeps it through misses for `maxMissedSeconds` of source time, smooths
// boxes and probabilities per track (EMA; never one window shared by all
// faces), and between detection passes moves each box along its velocity.
// It does not detect, classify or decide which events to emit.
import FERNet
import FERVision

public struct TrackerConfig: Sendable, Equatable {
    /// Minimum IoU for a detection to continue a track.
    public var matchIoU: Double = 0.3
    /// Fallback: centres closer than this fraction of the larger box width match.
    public var maxCentreDistance: Double = 0.5
    /// Seconds (source time) a confirmed track may go undetected before it ends.
    public var maxMissedSeconds: Double = 1.0
    /// Seconds unseen after which a confirmed track is no longer drawn (it keeps its id).
    public var showMissedSeconds: Double = 0.3
    /// Detections a track needs before it is confirmed (gets its id and its start event).
    /// 1 only for still images, which are seen once. 2, not 3: on short_hamilton_clip the third
    /// hit cost 5 more boxes of new faces (recall 87.0 -> 89.6 %) with the same tracks and precision.
    public var minHits: Int = 2
    /// Detection passes a tentative (unconfirmed) track may miss before it is dropped, silently.
    public var tentativeMaxMissed: Int = 1
    /// EMA weight of the newest probabilities (1 = no smoothing).
    public var probabilityAlpha: Double = 0.4
    /// EMA weight of the newest box (1 = no smoothing).
    public var boxAlpha: Double = 0.6
    /// Move boxes along their velocity between detection passes (false: hold them).
    public var followVelocity: Bool = true
    /// EMA weight of the newest velocity measurement.
    public var velocityAlpha: Double = 0.5
    /// A predicted box moves at most this fraction of its width away from its last detection.
    public var maxShift: Double = 1.0

    public init() {}
}

public struct Track: Sendable, Equatable {
    /// The public id (1, 2, ...) once confirmed; negative while tentative.
    public internal(set) var id: Int
    /// Detections matched so far.
    public var hits: Int = 1
    /// Source time of the last matched detection.
    public var lastSeen: Double = 0
    /// Source time of the last classification folded in (nil: never).
    public var lastClassified: Double?
    public var confirmed: Bool { id > 0 }
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

    init(id: Int, box: Box, probabilities: [Float]?, missed: Int, detectedNow: Bool, frame: Int = 0, time: Double = 0) {
        self.id = id
        lastSeen = time
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
    /// Confirmed and tentative tracks; `confirmed` ones are the faces.
    public private(set) var tracks: [Track] = []
    private var nextID = 1
    private var nextTentative = -1
    private var currentFrame = -1
    /// The frame the boxes were last predicted for (carryOver then update on one frame predict once).
    private var predictedFrame = Int.min

    /// Source seconds per frame assumed when `update` is given no time (tests, synthetic input).
    public static let defaultFrameSeconds = 0.04

    public init(config: TrackerConfig = TrackerConfig()) {
        self.config = config
    }

    /// One detection pass on frame `frame` (default: the frame after the last one) at source
    /// time `time` (default: frame × defaultFrameSeconds). Returns the ids of tracks confirmed
    /// on this pass and the confirmed tracks that ended (tentative ones end silently).
    /// `rested`: ids of tracks the detector did not look for on this pass; unmatched, they
    /// carry over (predicted box, no miss). `still`: ids of tracks around which nothing moved;
    /// rested, they stay at their last box, lose their velocity and count as seen now.
    @discardableResult
    public func update(detections: [Box], frame: Int? = nil, time: Double? = nil, rested: Set<Int> = [],
                       still: Set<Int> = []) -> (created: [Int], ended: [Track]) {
        let f = frame ?? currentFrame + 1
        let now = time ?? Double(f) * Self.defaultFrameSeconds
        currentFrame = f
        predict(to: f)
        var pairs: [(score: Double, t: Int, d: Int)] = []
        for (ti, t) in tracks.enumerated() {
            for (di, d) in detections.enumerated() {
                let iou = t.box.iou(d)
                if iou >= config.matchIoU {
                    pairs.append((1 + iou, ti, di))
                } else {
                    let dist = t.box.centerDistance(d)
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
            let (ox, oy) = t.lastDetection.center, (nx, ny) = det.center
            let a = config.velocityAlpha
            t.velocityX = a * (nx - ox) / dt + (1 - a) * t.velocityX
            t.velocityY = a * (ny - oy) / dt + (1 - a) * t.velocityY
            t.box = blend(t.box, det, alpha: config.boxAlpha)
            t.anchor = t.box
            t.anchorFrame = f
            t.lastDetection = det
            t.missed = 0
            t.detectedNow = true
            t.hits += 1
            t.lastSeen = now
            tracks[p.t] = t
        }
        var ended: [Track] = []
        var kept: [Track] = []
        for (ti, var t) in tracks.enumerated() {
            if !trackUsed[ti] && rested.contains(t.id) {
                t.detectedNow = false
                if still.contains(t.id) {
                    (t.velocityX, t.velocityY) = (0, 0)
                    (t.box, t.anchorFrame) = (t.anchor, f)
                    t.lastSeen = now   // unchanged where it was found: still seen (drawn, not ending)
                }
            } else if !trackUsed[ti] {
                t.missed += 1
                t.detectedNow = false
                t.velocityX *= 0.8   // unseen: slow the prediction down
                t.velocityY *= 0.8
                if t.confirmed ? now - t.lastSeen > config.maxMissedSeconds : t.missed > config.tentativeMaxMissed {
                    if t.confirmed { ended.append(t) }
                    continue
                }
            }
            kept.append(t)
        }
        // A detection left over that overlaps a track is the same face found twice (two searches,
        // two scales), not a new one.
        for (di, d) in detections.enumerated() where !detUsed[di] && !kept.contains(where: { $0.box.iou(d) > config.matchIoU }) {
            kept.append(Track(id: nextTentative, box: d, probabilities: nil, missed: 0, detectedNow: true, frame: f, time: now))
            nextTentative -= 1
        }
        var created: [Int] = []
        for i in kept.indices where !kept[i].confirmed && kept[i].hits >= config.minHits {
            kept[i].id = nextID
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
        guard config.followVelocity, f != predictedFrame else { return }
        predictedFrame = f
        for i in tracks.indices {
            let t = tracks[i]
            let dt = Double(f - t.anchorFrame)
            let limit = config.maxShift * Double(t.anchor.width)
            let dx = max(-limit, min(limit, t.velocityX * dt)), dy = max(-limit, min(limit, t.velocityY * dt))
            tracks[i].box = Box(x: t.anchor.x + Int(dx.rounded()), y: t.anchor.y + Int(dy.rounded()),
                                width: t.anchor.width, height: t.anchor.height)
        }
    }

    /// Folds a new classification, made at source time `time`, into the track's EMA.
    public func observe(id: Int, probabilities p: [Float], time: Double = 0) {
        guard let i = tracks.firstIndex(where: { $0.id == id }) else { return }
        tracks[i].lastClassified = time
        if let old = tracks[i].probabilities, old.count == p.count {
            let a = Float(config.probabilityAlpha)
            tracks[i].probabilities = zip(old, p).map { (1 - a) * $0 + a * $1 }
        } else {
            tracks[i].probabilities = p
        }
    }

    /// Ends every track (shutdown, scene cut); returns the confirmed ones.
    public func endAll() -> [Track] {
        let all = tracks.filter(\.confirmed)
        tracks = []
        return all
    }

    private func blend(_ old: Box, _ new: Box, alpha: Double) -> Box {
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) * (1 - alpha) + Double(b) * alpha).rounded()) }
        return Box(x: mix(old.x, new.x), y: mix(old.y, new.y), width: mix(old.width, new.width), height: mix(old.height, new.height))
    }
}

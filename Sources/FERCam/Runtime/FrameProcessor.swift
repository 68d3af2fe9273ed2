// The synchronous heart of the pipeline, one frame at a time: decide whether
// to run the detector on this frame (every `interval` frames, and on a scene
// cut), hand it the tracks' predicted boxes, associate its boxes with tracks,
// classify all confirmed faces seen on the frame in one batch, smooth, and
// derive events (confirmed faces only; new ones are handed on as boxes). No threads and no I/O: Pipeline
// runs it on its inference thread, tests and benchmarks call it directly.
import FERNet
import FERVision

public final class FrameProcessor {
    public let config: PipelineConfig
    private let detector: FaceDetector
    private let classifier: EmotionClassifier
    private let preprocessor: FacePreprocessor
    private let tracker: Tracker
    private let rules: EventRules
    private var lastDetectIndex: Int?
    private var lastSequence: Int?
    private var lastFrame: Frame?
    private var batch: [Float] = []   // (N, 1, side, side), grown on demand
    /// Where other threads post a new event policy (SIGHUP reload); taken at the next frame.
    public let policyMailbox = EventPolicyMailbox()

    public init(detector: FaceDetector, classifier: EmotionClassifier, config: PipelineConfig) {
        self.config = config
        self.detector = detector
        self.classifier = classifier
        // Faces are cut at the model's own input side (40, 48, 64, ...), the size each batch slot has.
        self.preprocessor = FacePreprocessor(normalization: classifier.normalization,
                                             side: classifier.inputSide,
                                             margin: config.classification.margin,
                                             equalize: config.classification.equalize)
        self.tracker = Tracker(config: config.tracker)
        self.rules = EventRules(policy: config.events)
    }

    /// The event policy in force now (read on the processing thread).
    public var eventPolicy: EventPolicy { rules.policy }

    /// Ids of tracks that have a start but no end yet.
    public var openTracks: [Int] { rules.openTracks }

    public func process(_ frame: Frame) throws(CamError) -> FrameResult {
        if let policy = policyMailbox.take() { rules.apply(policy) }
        var timings = StageTimings()
        var ended: [Track] = []
        var cut = false
        if let seq = lastSequence, seq != frame.sequence, let prev = lastFrame {
            // A new, unrelated picture: what was tracked is gone (ended on the last frame it was in).
            cut = true
            let gone = tracker.endAll()
            pendingCutEvents = rules.events(frame: prev, faces: [], ended: gone)
        }
        lastSequence = frame.sequence
        let due = cut || lastDetectIndex == nil || frame.index - lastDetectIndex! >= config.detection.interval
        if due {
            let t0 = MonotonicClock.nanos()
            tracker.carryOver(frame: frame.index)   // predicted boxes: where the detector looks first
            let boxes = try detector.detect(frame, tracked: tracker.tracks)
            let t1 = MonotonicClock.nanos()
            ended = tracker.update(detections: boxes, frame: frame.index, time: frame.time, rested: detector.restedTracks, still: detector.stillTracks).ended
            timings.detect = Double(t1 - t0) / 1e6
            timings.track += Double(MonotonicClock.nanos() - t1) / 1e6
            lastDetectIndex = frame.index
        } else {
            tracker.carryOver(frame: frame.index)
        }

        // Classify every face seen on the latest detection pass, all in one batch.
        let c0 = MonotonicClock.nanos()
        // Confirmed faces detected on this frame, each at most every classification interval.
        let every = config.classification.interval
        let live = tracker.tracks.filter { t in
            t.detectedNow && t.confirmed && (t.lastClassified.map { frame.time - $0 >= every || frame.time < $0 } ?? true)
        }
        if !live.isEmpty {
            let per = preprocessor.side * preprocessor.side
            if batch.count < live.count * per { batch = [Float](repeating: 0, count: live.count * per) }
            let pre = preprocessor
            batch.withUnsafeMutableBufferPointer { buf in
                for (i, t) in live.enumerated() {
                    pre.preprocess(gray: frame.gray, box: t.box, into: buf.baseAddress! + i * per)
                }
            }
            let probs = try batch.withUnsafeBufferPointer { buf throws(CamError) in
                try classifier.classify(UnsafeBufferPointer(rebasing: buf[0..<(live.count * per)]), count: live.count)
            }
            guard probs.count == live.count else {
                throw .internalError("classifier returned \(probs.count) results for \(live.count) faces")
            }
            for (t, p) in zip(live, probs) { tracker.observe(id: t.id, probabilities: p, time: frame.time) }
        }
        let c1 = MonotonicClock.nanos()
        timings.classify = Double(c1 - c0) / 1e6

        // Drawn and streamed: confirmed faces seen lately (a face unseen for longer keeps its id
        // until --max-missed, but its stale box is not shown).
        let faces = tracker.tracks.compactMap { t -> TrackedFace? in
            guard t.confirmed, frame.time - t.lastSeen <= config.tracker.showMissedSeconds, let p = t.probabilities else { return nil }
            return TrackedFace(id: t.id, box: t.box, probabilities: p, detectedNow: t.detectedNow)
        }
        // Outlined, not reported: faces this pass found that still wait for their confirming hit.
        let newFaces = tracker.tracks.filter { !$0.confirmed && $0.detectedNow }.map(\.box)
        var events = pendingCutEvents
        pendingCutEvents = []
        events += rules.events(frame: frame, faces: faces, ended: ended)
        timings.track += Double(MonotonicClock.nanos() - c1) / 1e6
        lastFrame = frame
        return FrameResult(frame: frame, faces: faces, newFaces: newFaces, events: events, ranDetector: due, timings: timings)
    }

    private var pendingCutEvents: [DetectionEvent] = []

    /// `end` for every open track (shutdown). Stamped with the last frame seen.
    public func finish() -> [DetectionEvent] {
        guard let last = lastFrame else { return [] }
        return rules.events(frame: last, faces: [], ended: tracker.endAll())
    }
}

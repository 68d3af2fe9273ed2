// Everything that tunes the pipeline, as one value passed in (no globals).
// Defaults are the ones fer-cam uses; fer-cam's flags overwrite fields.
import FERNet

public struct DetectionConfig: Sendable, Equatable {
    /// Haar pyramid step (>1; bigger is faster and misses more).
    public var scaleFactor: Double = 1.1
    /// Neighbouring hits a box needs (more = fewer false positives).
    public var minNeighbors: Int = 5
    /// Smallest face, in full-frame pixels.
    public var minFaceSize: Int = 30
    /// Detect on a copy at most this wide (0 = full size); boxes are mapped back.
    public var detectWidth: Int = 320
    /// Run the detector every N frames; in between, the tracker's boxes are kept.
    public var interval: Int = 3
    /// Histogram-equalize the downscaled frame before detection.
    public var equalize: Bool = false

    public init() {}

    /// Throws .usage with the flag name when a value cannot work.
    public func validate() throws(CamError) {
        guard scaleFactor > 1.0, scaleFactor <= 2.0 else { throw .usage("--scale-factor must be in (1, 2], got \(scaleFactor)") }
        guard minNeighbors >= 0, minNeighbors <= 50 else { throw .usage("--min-neighbors must be in 0...50, got \(minNeighbors)") }
        guard minFaceSize >= 12 else { throw .usage("--min-face must be at least 12 pixels, got \(minFaceSize)") }
        guard detectWidth == 0 || detectWidth >= 64 else { throw .usage("--detect-width must be 0 (full size) or at least 64, got \(detectWidth)") }
        guard interval >= 1, interval <= 120 else { throw .usage("--detect-interval must be in 1...120 frames, got \(interval)") }
    }
}

public struct ClassificationConfig: Sendable, Equatable {
    /// Extra border around each face box before the 48×48 crop, as a fraction of its size.
    public var margin: Double = 0.0
    /// Histogram-equalize the crop (must match how the model was trained).
    public var equalize: Bool = false
    public init() {}

    public func validate() throws(CamError) {
        guard margin >= 0, margin <= 1 else { throw .usage("--margin must be in 0...1, got \(margin)") }
    }
}

public struct PipelineConfig: Sendable, Equatable {
    public var detection = DetectionConfig()
    public var classification = ClassificationConfig()
    public var tracker = TrackerConfig()
    public var events = EventPolicy()
    /// Frames held between capture and inference; the oldest is dropped when full.
    public var ringCapacity: Int = 3
    /// Stop after this many frames from the source (nil = until the source ends).
    public var maxFrames: Int?
    /// Latency and timing samples kept for PipelineStats (the most recent ones).
    public var statsCapacity: Int = 4096
    public init() {}

    public func validate() throws(CamError) {
        try detection.validate()
        try classification.validate()
        guard ringCapacity >= 1, ringCapacity <= 64 else { throw .usage("--ring must be in 1...64 frames, got \(ringCapacity)") }
        if let n = maxFrames, n < 1 { throw .usage("--frames must be at least 1, got \(n)") }
        guard events.updateInterval >= 0 else { throw .usage("--update-interval must be >= 0 seconds, got \(events.updateInterval)") }
        guard tracker.maxMissed >= 0 else { throw .usage("--max-missed must be >= 0, got \(tracker.maxMissed)") }
        guard tracker.probabilityAlpha > 0, tracker.probabilityAlpha <= 1 else {
            throw .usage("--smoothing must be in (0, 1], got \(tracker.probabilityAlpha)")
        }
    }
}

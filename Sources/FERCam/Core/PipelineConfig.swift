// Everything that tunes the pipeline, as one value passed in (no globals).
// Defaults are the ones fer-cam uses; fer-cam's flags overwrite fields.
import FERNet

public struct DetectionConfig: Sendable, Equatable {
    /// Haar pyramid step (>1; bigger is faster and misses more).
    public var scaleFactor: Double = 1.1
    /// Neighbouring hits a box needs (more = fewer false positives).
    public var minNeighbors: Int = 5
    /// Smallest face searched, in frame pixels: sets the search resolution (never a fixed width).
    public var minFaceSize: Int = 30
    /// Largest face searched, in frame pixels (0: up to the frame's shorter side).
    public var maxFaceSize: Int = 0
    /// A cost cap: search at most this many pixels wide (0: no cap). On a wider frame it
    /// raises the smallest face searched; the start-up log says to what.
    public var detectWidth: Int = 0
    /// Run the detector every N frames; in between, the tracker's boxes are kept.
    public var interval: Int = 1
    /// Histogram-equalize each searched patch (dim scenes).
    public var equalize: Bool = false
    /// Search around each followed face, plus a rolling scan (false: the whole frame on every pass).
    public var trackROI: Bool = true
    /// Let motion order and pace the rolling scan (false: the busy pace in a still scene too).
    public var motionGate: Bool = true
    public var motion = MotionGateConfig()
    /// Seconds (source time) for the rolling scan to cover the whole frame while something moves.
    public var busyScanPeriod: Double = 6
    /// ... and in a still scene: the longest a still face never seen before waits.
    public var stillScanPeriod: Double = 15
    /// Each frame is an unrelated still image: search all of it, every time.
    public var stills: Bool = false
    /// Threads the searches of one pass are spread over.
    public var threads: Int = 1

    public init() {}

    /// Throws .usage with the flag name when a value cannot work. (The checks that need the
    /// cascade or the frame, --min-face against its window and size, are HaarFaceDetector's.)
    public func validate() throws(CamError) {
        guard scaleFactor > 1.0, scaleFactor <= 2.0 else { throw .usage("--scale-factor must be in (1, 2], got \(scaleFactor)") }
        guard minNeighbors >= 0, minNeighbors <= 50 else { throw .usage("--min-neighbors must be in 0...50, got \(minNeighbors)") }
        guard minFaceSize >= 12 else { throw .usage("--min-face must be at least 12 pixels, got \(minFaceSize)") }
        guard maxFaceSize == 0 || maxFaceSize >= minFaceSize else {
            throw .usage("--max-face \(maxFaceSize) is below --min-face \(minFaceSize); give a larger --max-face, or 0 for no limit")
        }
        guard detectWidth == 0 || detectWidth >= 64 else { throw .usage("--detect-width must be 0 (no cap) or at least 64, got \(detectWidth)") }
        guard interval >= 1, interval <= 120 else { throw .usage("--detect-interval must be in 1...120 frames, got \(interval)") }
        guard busyScanPeriod > 0, busyScanPeriod <= 60 else { throw .usage("--busy-scan-period must be in (0, 60] seconds, got \(busyScanPeriod)") }
        guard stillScanPeriod >= busyScanPeriod, stillScanPeriod <= 3600 else {
            throw .usage("--scan-period must be in [--busy-scan-period, 3600] seconds, got \(stillScanPeriod)")
        }
        guard threads >= 1, threads <= 64 else { throw .usage("--threads must be in 1...64, got \(threads)") }
    }
}

public struct ClassificationConfig: Sendable, Equatable {
    /// Extra border around each face box before the 48×48 crop, as a fraction of its size.
    public var margin: Double = 0.0
    /// Histogram-equalize the crop (must match how the model was trained).
    public var equalize: Bool = false
    /// Seconds (source time) between two classifications of the same face; a face is always
    /// classified when its track is confirmed. 0: on every detection pass.
    public var interval: Double = 0.2
    public init() {}

    public func validate() throws(CamError) {
        guard margin >= 0, margin <= 1 else { throw .usage("--margin must be in 0...1, got \(margin)") }
        guard interval >= 0, interval <= 60 else { throw .usage("--classify-interval must be in 0...60 seconds, got \(interval)") }
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

    /// The settings for a series of unrelated still images: each is searched whole, and a face
    /// is reported from its one detection (there is no second look to confirm it).
    public mutating func forStillImages() {
        detection.stills = true
        tracker.minHits = 1
    }

    public func validate() throws(CamError) {
        try detection.validate()
        try classification.validate()
        guard ringCapacity >= 1, ringCapacity <= 64 else { throw .usage("--ring must be in 1...64 frames, got \(ringCapacity)") }
        if let n = maxFrames, n < 1 { throw .usage("--frames must be at least 1, got \(n)") }
        guard events.updateInterval >= 0 else { throw .usage("--update-interval must be >= 0 seconds, got \(events.updateInterval)") }
        guard tracker.maxMissedSeconds >= 0, tracker.maxMissedSeconds <= 3600 else {
            throw .usage("--max-missed must be in 0...3600 seconds, got \(tracker.maxMissedSeconds)")
        }
        guard tracker.minHits >= 1, tracker.minHits <= 100 else { throw .usage("--confirm-hits must be in 1...100, got \(tracker.minHits)") }
        guard detection.stills || tracker.minHits >= 2 else {
            throw .usage("--confirm-hits must be at least 2 for video and cameras (one detection cannot tell a face from a false positive)")
        }
        guard tracker.probabilityAlpha > 0, tracker.probabilityAlpha <= 1 else {
            throw .usage("--smoothing must be in (0, 1], got \(tracker.probabilityAlpha)")
        }
    }
}

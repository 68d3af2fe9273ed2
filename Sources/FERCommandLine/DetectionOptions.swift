// The face detection flags, one definition for fer-cam and fer-bench (same
// names, help and defaults), and where fer-cam's default cascade is found.
// Parsing only: the values and their checks are FERCam's DetectionConfig,
// TrackerConfig and ClassificationConfig.
import ArgumentParser
import FERCam
import FERVision

public struct DetectionOptions: ParsableArguments {
    public init() {}

    @Option(help: "Run face detection every N frames; in between, faces keep their tracked boxes.")
    public var detectInterval = DetectionConfig().interval

    @Option(help: "Smallest face to find, in frame pixels (at least the cascade's window × 1.25, 30 for the default cascade). Smaller costs more.")
    public var minFace = DetectionConfig().minFaceSize

    @Option(help: "Largest face to find, in frame pixels (0: up to the frame's height).")
    public var maxFace = DetectionConfig().maxFaceSize

    @Option(help: "Cost cap: search at most this many pixels wide (0: no cap). On a wider frame it raises the smallest face found; the start-up log says to what.")
    public var detectWidth = DetectionConfig().detectWidth

    @Option(help: "Haar scale factor (> 1; larger is faster, finds fewer faces).")
    public var scaleFactor = DetectionConfig().scaleFactor

    @Option(help: "Haar minimum neighbours (larger: fewer false faces).")
    public var minNeighbors = DetectionConfig().minNeighbors

    @Flag(help: "Histogram-equalize each searched patch (dim scenes).")
    public var equalize = false

    @Flag(name: .customLong("no-track-roi"), help: "Search the whole frame on every detection pass, instead of around each face plus a rolling scan. With --detect-interval 1 --no-motion-gate: full detection on every frame.")
    public var noTrackROI = false

    @Flag(name: .customLong("no-motion-gate"), help: "Let the rolling scan ignore motion: the busy pace and plain age order, even in a still scene.")
    public var noMotionGate = false

    @Option(help: "Seconds for the rolling scan to search the whole frame at every face size while something moves.")
    public var busyScanPeriod = DetectionConfig().busyScanPeriod

    @Option(help: "Seconds for the same in a still scene: the longest a face that never moved waits to be found.")
    public var scanPeriod = DetectionConfig().stillScanPeriod

    @Option(help: "Detections a face needs before its track is confirmed and its start event written (2 or more; a still image needs one).")
    public var confirmHits = TrackerConfig().minHits

    @Option(help: "Seconds between two classifications of the same face (0: on every detection pass). Emotions change slower than frames.")
    public var classifyInterval = ClassificationConfig().interval

    /// Writes these flags into `c` (detection runs on `threads` threads).
    public func apply(to c: inout PipelineConfig, threads: Int) {
        c.detection.interval = detectInterval
        c.detection.minFaceSize = minFace
        c.detection.maxFaceSize = maxFace
        c.detection.detectWidth = detectWidth
        c.detection.scaleFactor = scaleFactor
        c.detection.minNeighbors = minNeighbors
        c.detection.equalize = equalize
        c.detection.trackROI = !noTrackROI
        c.detection.motionGate = !noMotionGate
        c.detection.busyScanPeriod = busyScanPeriod
        c.detection.stillScanPeriod = scanPeriod
        c.detection.threads = threads
        c.tracker.minHits = confirmHits
        c.classification.interval = classifyInterval
    }

    /// A PipelineConfig with fer-cam's defaults and these flags.
    public func config(threads: Int) -> PipelineConfig {
        var c = PipelineConfig()
        apply(to: &c, threads: threads)
        return c
    }

    /// The settings, as benchmark JSON reports them.
    public var summary: [String: Any] {
        ["detect_interval": detectInterval, "detect_width": detectWidth, "scale_factor": scaleFactor, "min_face": minFace,
         "max_face": maxFace, "min_neighbors": minNeighbors, "track_roi": !noTrackROI, "motion_gate": !noMotionGate,
         "busy_scan_period_s": busyScanPeriod, "scan_period_s": scanPeriod, "confirm_hits": confirmHits,
         "classify_interval_s": classifyInterval]
    }

    /// fer-cam's cascade: --cascade, else the package's cascades/, the installed data, OpenCV's folder.
    public static func cascadePath(flag: String? = nil) throws(CamError) -> String {
        do {
            return try CascadeLocator.resolve(flag: flag, packageRoot: ModelLocator.packageRoot(),
                                              systemDirectories: [ModelLocator.installedDataDirectory() + "/cascades", CascadeLocator.systemDirectory])
        } catch {
            throw CamError(error)
        }
    }
}

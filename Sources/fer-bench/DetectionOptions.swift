// The detection flags fer-bench's pipeline and recall commands share (the same
// names and defaults as fer-cam's), and where the cascade is found. Parsing
// only: the values and their checks are FERCam's DetectionConfig.
import ArgumentParser
import FERCam
import FERVision

struct DetectionOptions: ParsableArguments {
    @Option(help: "Detection every N frames.") var detectInterval = DetectionConfig().interval
    @Option(help: "Cost cap: search at most this many pixels wide (0: no cap).") var detectWidth = DetectionConfig().detectWidth
    @Option(help: "Haar scale factor.") var scaleFactor = DetectionConfig().scaleFactor
    @Option(help: "Smallest face in frame pixels.") var minFace = DetectionConfig().minFaceSize
    @Option(help: "Largest face in frame pixels (0: no limit).") var maxFace = DetectionConfig().maxFaceSize
    @Flag(name: .customLong("no-track-roi"), help: "Search the whole frame on every pass.") var noTrackROI = false
    @Flag(name: .customLong("no-motion-gate"), help: "The rolling scan ignores motion.") var noMotionGate = false
    @Option(help: "Seconds for a full rolling scan while something moves.") var busyScanPeriod = DetectionConfig().busyScanPeriod
    @Option(help: "Seconds for a full rolling scan in a still scene.") var scanPeriod = DetectionConfig().stillScanPeriod
    @Option(help: "Detections before a track is confirmed.") var confirmHits = TrackerConfig().minHits
    @Option(help: "Seconds between two classifications of a face.") var classifyInterval = ClassificationConfig().interval

    func config(threads: Int) -> PipelineConfig {
        var c = PipelineConfig()
        c.detection.interval = detectInterval
        c.detection.detectWidth = detectWidth
        c.detection.scaleFactor = scaleFactor
        c.detection.minFaceSize = minFace
        c.detection.maxFaceSize = maxFace
        c.detection.trackROI = !noTrackROI
        c.detection.motionGate = !noMotionGate
        c.detection.busyScanPeriod = busyScanPeriod
        c.detection.stillScanPeriod = scanPeriod
        c.detection.threads = threads
        c.tracker.minHits = confirmHits
        c.classification.interval = classifyInterval
        return c
    }

    /// The settings, as the JSON reports them.
    var summary: [String: Any] {
        ["detect_interval": detectInterval, "detect_width": detectWidth, "scale_factor": scaleFactor, "min_face": minFace,
         "max_face": maxFace, "track_roi": !noTrackROI, "motion_gate": !noMotionGate, "busy_scan_period_s": busyScanPeriod,
         "scan_period_s": scanPeriod, "confirm_hits": confirmHits, "classify_interval_s": classifyInterval]
    }

    /// fer-cam's default cascade.
    static func cascadePath() throws(CamError) -> String {
        do {
            return try CascadeLocator.resolve(flag: nil, packageRoot: ModelLocator.packageRoot(),
                                              systemDirectories: [ModelLocator.installedDataDirectory() + "/cascades", CascadeLocator.systemDirectory])
        } catch {
            throw CamError(error)
        }
    }
}

// `fer-bench pipeline`: the whole live path on a video file, unpaced:
// decode → detect → classify → track → draw (overlay rendered, not shown),
// with capture, inference and output overlapping as in fer-cam. Prints fps end
// to end, median and p99 ms per stage, frame→event latency and peak RSS.
// Uses the model file when there is one, else random weights of the product
// architecture (same cost, meaningless emotions; the JSON says which).
// --boxes FILE writes the boxes drawn on each frame (fer-bench recall reads them).
// With --pace the file plays at its own frame rate, like a live camera, and
// `cores_used` (CPU seconds / wall seconds) is the figure that matters.
import ArgumentParser
import FERCam
import FERCommandLine
import FERNet
import FERVision
import Foundation

struct PipelineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "End-to-end fps, per-stage ms, frame→event latency and peak RSS of fer-cam's pipeline on a video file.")

    @Option(help: "Video file (e.g. ../shared/media/short_hamilton_clip.mp4).") var source: String
    @Option(help: "Model file (default: models/emotion-cnn.safetensors; random fer-vgg weights when missing).") var model: String?
    @Option(help: "Threads for detection, OpenCV and OpenBLAS each.") var threads = 1
    @OptionGroup var detection: DetectionOptions
    @Option(help: "Write the boxes the overlay draws, one JSON line per frame: {\"frame\":N,\"boxes\":[[x,y,w,h],...]}.") var boxes: String?
    @Option(help: "Passes over the file (results pooled).") var repeats = 1
    @Flag(help: "Play the file at its frame rate, like a live camera (then cores_used is the figure; fps is the file's).") var pace = false
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard threads >= 1, repeats >= 1 else { throw ValidationError("threads and repeats must be >= 1") }
        do { try detection.config(threads: threads).validate() } catch { throw ValidationError(error.message) }
    }

    /// The model file's classifier, or random weights of the product architecture when there is no model file.
    private func loadClassifier() throws -> (EmotionClassifier, String, String) {
        let path: String
        do { path = try ModelLocator.resolve(flag: model) } catch {
            guard model == nil else { throw error }
            let net = try Network(architecture: Architectures.defaultName, seed: 1)
            let loaded = LoadedModel(spec: net.spec, tensors: net.exportTensors(), normalization: InputNormalization(),
                                     labels: Emotion.names, provenance: [:])
            let name = "random \(Architectures.defaultName)"
            return (try CNNEmotionClassifier(model: loaded, path: name, threads: threads), name, "random")
        }
        return (try EmotionModel.classifier(path: path, threads: threads), path, "file")
    }

    func run() throws {
        do {
            try measure()
        } catch let e as CamError {
            FileHandle.standardError.write(Data("fer-bench pipeline: \(e.message)\n".utf8))
            throw ExitCode(e.exitCode)
        } catch let e as VisionError {
            FileHandle.standardError.write(Data("fer-bench pipeline: \(e)\n".utf8))
            throw ExitCode(e.exitCode)
        }
    }

    private func measure() throws {
        OpenCVThreads.set(threads)
        OpenCVLog.set(.error)
        let (classifier, modelPath, weights) = try loadClassifier()
        var config = detection.config(threads: threads)
        config.statsCapacity = 1_000_000
        let detector = try HaarFaceDetector(cascadePath: try DetectionOptions.cascadePath(), config: config.detection)
        let boxLog = try boxes.map { path throws(CamError) in try BoxLog(path: path) }

        var decodeMs: [Double] = [], drawMs: [Double] = [], timings: [StageTimings] = []
        var frameLat: [Double] = [], eventLat: [Double] = []
        var frames = 0, events = 0, dropped = 0, wall = 0.0
        let cpu0 = Stats.cpuSeconds()
        for _ in 0..<repeats {
            let source = TimedSource(try VideoFileSource(path: source, pace: pace))
            let drawer = DrawingSink(boxes: boxLog)
            let pipeline = Pipeline(source: source, processor: FrameProcessor(detector: detector, classifier: classifier, config: config),
                                    sinks: [drawer], config: config)
            try pipeline.run()
            let s = pipeline.stats
            decodeMs += source.times
            drawMs += drawer.times
            timings += s.timings
            frameLat += s.frameLatencyMs
            eventLat += s.eventLatencyMs
            frames += pipeline.health.framesProcessed
            events += drawer.events
            dropped += pipeline.health.framesDropped
            wall += s.wallSeconds
        }
        let cpu = Stats.cpuSeconds() - cpu0
        let detectRuns = timings.filter { $0.detect > 0 }.map(\.detect)
        func stage(_ v: [Double]) -> [String: Double] { ["median_ms": Stats.percentile(v, 50), "p99_ms": Stats.percentile(v, 99), "mean_ms": Stats.mean(v)] }
        let result: [String: Any] = [
            "benchmark": "pipeline", "source": source, "frames": frames, "events": events, "dropped_frames": dropped,
            "threads": threads, "detection": detection.summary,
            "model": modelPath, "weights": weights,
            "fps": Double(frames) / max(wall, 1e-9), "unit": "frames/s", "wall_s": wall, "paced": pace,
            "cpu_s": cpu, "cores_used": cpu / max(wall, 1e-9),
            "stages": [
                "decode": stage(decodeMs),
                "detect_per_run": stage(detectRuns),
                "detect_per_frame": ["mean_ms": Stats.mean(timings.map(\.detect))],
                "classify": stage(timings.map(\.classify)),
                "track": stage(timings.map(\.track)),
                "draw": stage(drawMs),
            ],
            "latency_frame_to_event_ms": ["p50": Stats.percentile(eventLat, 50), "p99": Stats.percentile(eventLat, 99), "count": eventLat.count],
            "latency_frame_to_output_ms": ["p50": Stats.percentile(frameLat, 50), "p99": Stats.percentile(frameLat, 99)],
            "peak_rss_mb": Stats.peakRSSMegabytes(),
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "pipeline: %d frames in %.2f s = %.1f fps%@ (%@ weights), %.2f cores, detect %.1f ms/run, classify %.2f ms/frame, event latency p50 %.1f ms p99 %.1f ms, peak RSS %.0f MB",
                         frames, wall, Double(frames) / max(wall, 1e-9), pace ? " paced" : "", weights, cpu / max(wall, 1e-9),
                         Stats.percentile(detectRuns, 50),
                         Stats.mean(timings.map(\.classify)), Stats.percentile(eventLat, 50), Stats.percentile(eventLat, 99),
                         Stats.peakRSSMegabytes()))
        }
    }
}

/// Times each `next()` of a source (decode + colour conversion).
final class TimedSource: FrameSource, @unchecked Sendable {
    private let inner: FrameSource
    private(set) var times: [Double] = []
    init(_ inner: FrameSource) { self.inner = inner }
    var name: String { inner.name }
    var summary: String { inner.summary }
    var isLive: Bool { inner.isLive }
    var nominalFPS: Double? { inner.nominalFPS }
    func next() throws(CamError) -> Frame? {
        let t0 = MonotonicClock.nanos()
        let f = try inner.next()
        if f != nil { times.append(Double(MonotonicClock.nanos() - t0) / 1e6) }
        return f
    }
    func interrupt() { inner.interrupt() }
}

/// Renders the overlay of every frame (as the window would), counts events and, when given
/// a BoxLog, writes the boxes it drew.
final class DrawingSink: DetectionSink {
    private let renderer = OverlayRenderer()
    private let boxes: BoxLog?
    private(set) var times: [Double] = []
    private(set) var events = 0
    init(boxes: BoxLog? = nil) { self.boxes = boxes }
    func consume(_ result: FrameResult) throws(CamError) -> SinkAction {
        let t0 = MonotonicClock.nanos()
        _ = renderer.render(result, fps: nil)
        times.append(Double(MonotonicClock.nanos() - t0) / 1e6)
        events += result.events.count
        try boxes?.write(frame: result.frame.index, boxes: result.drawnBoxes)
        return .proceed
    }
    func finish(finalEvents: [DetectionEvent]) throws(CamError) { events += finalEvents.count }
}

enum Stats {
    static func percentile(_ v: [Double], _ p: Double) -> Double {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        let i = min(s.count - 1, max(0, Int((p / 100 * Double(s.count - 1)).rounded())))
        return s[i]
    }
    static func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
    /// User + system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
    /// VmHWM from /proc/self/status, in MB.
    static func peakRSSMegabytes() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

// fer-cam: argument parsing and wiring only. Reads a camera (or a file, a
// folder of images, the synthetic test camera), finds faces, classifies their
// emotions, and writes start/update/end events as JSON Lines; --show opens a
// window with the overlay. All the work is in FERCam.
import ArgumentParser
import FERCam
import FERCommandLine
import FERNet
import FERVision
import Foundation
import Logging

@main
struct FerCam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fer-cam",
        abstract: "Find faces in a webcam stream and log their emotions (JSON Lines).",
        discussion: """
        Events go to --log (default: stdout), one JSON object per line: time, source, frame, \
        event (start/update/end), track, box [x,y,w,h], emotion, score, probabilities. \
        Diagnostics go to stderr. q (in the terminal or the window), Esc, Ctrl-C or SIGTERM stop \
        the run; every open track then gets its end event.

        Examples:
          fer-cam                                  # /dev/video0, events on stdout
          fer-cam /dev/video2 --size 1280x720 --fps 15 --show
          fer-cam --source test --show             # no webcam: synthetic camera
          fer-cam --source clip.mp4 --log events.jsonl
          fer-cam --source photos/ --log -         # every image in a folder
          fer-cam 0 --pixel-format MJPG --frames 100 --detect-interval 5
          fer-cam 0 --size 1920x1080 --min-face 40 --max-face 400   # a room: faces of 40-400 px
          fer-cam 0 --mqtt mqtt://broker.lan --name hall   # events, state, Home Assistant discovery over MQTT

        Detection searches every face size at full resolution, as OpenCV's full-frame detection \
        does, but only where it pays: around each face it follows, plus a rolling scan of the whole \
        frame. The first frame and each scene cut are searched whole at once; after that, where the \
        picture changed first, whole every --busy-scan-period s while things move, every \
        --scan-period s when still. A face is \
        outlined as soon as it is found, and labelled (its start event written) after \
        --confirm-hits detections. The start-up log says which face sizes are searched.

        As a service (systemd/fer-cam@.service): --config FILE reads options from `key = value` lines \
        (keys are the long flags; the command line wins); a lost camera is reopened until it returns \
        (`camera` lines in the log); sd_notify READY/STATUS/WATCHDOG when $NOTIFY_SOCKET is set; \
        SIGHUP reopens the --log file (logrotate) and re-reads the config.

        `fer-cam --version` prints the version, the default model's file name, sha256 and path, and the libraries \
        loaded only when used (video files: FFmpeg; images and the stream's JPEGs: OpenCV imgcodecs; --show: highgui).

        Exit codes: 0 done, 64 bad usage, 66 missing input (no such device, file or model), \
        69 device unavailable (busy, not a capture device, no usable format, stopped delivering, \
        no display for --show), 70 internal error, 78 bad configuration (broken model or cascade file).
        """)

    /// Reads --config before parsing: its options become arguments (ConfigLoading).
    static func main() {
        if VersionText.printIfAsked(program: "fer-cam", onDemand: OnDemandLibraries.sonames) { return }   // version, model name and sha256
        if let refusal = MQTTOptions.refusedPasswordFlag(CommandLine.arguments) {
            FileHandle.standardError.write(Data("fer-cam: \(refusal)\n".utf8))
            Foundation.exit(64)
        }
        main(ConfigLoading.arguments(CommandLine.arguments))
    }

    @Option(name: .customLong("config"), help: "Read options from this file (key = value; keys are long flags; the command line wins).")
    var configFile: String?

    @Option(help: "For testing: make --source test fail like an unplugged camera, e.g. drop-after=60,down=1.5 (vanish after 60 frames, return after 1.5 s).")
    var testFault: String?

    @Argument(help: "Camera: a number (0 = /dev/video0) or a device path. Default 0.")
    var device: String?

    @Option(help: "Read this instead of a camera: a video file, an image, a directory of images, or 'test'.")
    var source: String?

    @Option(help: "Camera frame size WxH (the driver may pick the nearest).")
    var size: String = "640x480"

    @Option(help: "Camera frame rate.")
    var fps: Int = 30

    @Option(help: "Force the camera's native pixel format (YUYV, MJPG, GREY, NV12, YU12, …). Default: automatic.")
    var pixelFormat: String?

    @Option(help: "Stop after N frames.")
    var frames: Int?

    @Option(help: "Emotion model file (default: models/emotion-cnn.safetensors in the package or current directory).")
    var model: String?

    @Option(help: "Haar cascade XML (default: cascades/ in the package, then /usr/share/opencv4/haarcascades).")
    var cascade: String?

    @Option(help: "Detection log: a file (appended) or - for stdout.")
    var log: String = "-"

    @Flag(help: "Show a window with boxes, emotions and probability bars (q or Esc quits).")
    var show = false

    @Option(help: "Seconds between periodic update events of an unchanged emotion (0: only on change).")
    var updateInterval: Double = EventPolicy().updateInterval

    @Option(help: "Margin around each face before cropping, as a fraction of its size.")
    var margin: Double = ClassificationConfig().margin

    @Option(help: "Weight of the newest prediction in each face's moving average (0-1; 1: no smoothing).")
    var smoothing: Double = TrackerConfig().probabilityAlpha

    @Option(help: "Seconds a face may go undetected before its track ends (its end event).")
    var maxMissed: Double = TrackerConfig().maxMissedSeconds

    @Option(help: "Frames buffered between capture and inference (the oldest is dropped when full).")
    var ring: Int = PipelineConfig().ringCapacity

    @Option(help: "Milliseconds without a frame before the camera counts as stopped.")
    var frameTimeout: Int = V4L2Request().frameTimeoutMs

    @Option(help: "Threads for face detection, OpenCV and OpenBLAS each.")
    var threads: Int = 1

    @Flag(inversion: .prefixedNo, help: "Play at the source's frame rate (default: on for the test camera, for files only with --show).")
    var pace: Bool?

    @Flag(help: "Open the source, read --frames frames (default 10), print what was negotiated and exit (no model needed).")
    var probe = false

    @Flag(help: "List the video capture devices and exit.")
    var listDevices = false

    @OptionGroup(title: "Face detection") var detection: DetectionOptions

    @OptionGroup(title: "HTTP overlay stream") var stream: StreamOptions

    @OptionGroup(title: "MQTT") var mqtt: MQTTOptions

    mutating func validate() throws {
        _ = try Self.parseSize(size)
        guard fps > 0, fps <= 240 else { throw ValidationError("--fps must be in 1...240, got \(fps)") }
        guard threads >= 1, threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
        guard frameTimeout >= 50 else { throw ValidationError("--frame-timeout must be at least 50 ms, got \(frameTimeout)") }
        do { try pipelineConfig(stills: false).validate() } catch { throw ValidationError(error.message) }
        if device != nil && source != nil { throw ValidationError("give either a DEVICE or --source, not both") }
        if let testFault { do { _ = try TestFault.parse(testFault) } catch { throw ValidationError(error.message) } }
    }

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "fer-cam")
        logger.logLevel = .info
        do {
            try runPipeline(logger: logger)
        } catch {
            FileHandle.standardError.write(Data("fer-cam: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func runPipeline(logger: Logger) throws(CamError) {
        if listDevices {
            let devices = V4L2Source.captureDevices()
            print(devices.isEmpty ? "no video capture devices" : devices.joined(separator: "\n"))
            return
        }
        let spec = try SourceSpec.parse(device: device, source: source)
        try spec.precheck()
        if probe {
            let input = try spec.open(camera: cameraRequest(), pace: false)
            print(try SourceProbe.run(input, frames: frames ?? 10).line)
            return
        }
        // Cheap checks first: a missing display or model fails before the camera opens.
        // Still images stay on screen until dismissed; video and cameras close with the run.
        let mqttSettings = try MQTTWiring.settings(mqtt, spec: spec, configPath: configFile)
        var isStill = false
        if case .images = spec { isStill = true }
        let config = pipelineConfig(stills: isStill)
        let window = show ? try WindowSink(holdAtEnd: isStill) : nil
        // Signals are caught before anything announces itself (the stream, MQTT's `online`);
        // a stop that comes before the pipeline exists stops it as soon as it does.
        let stopRelay = StopRelay()
        let signals = try StopSignals { sig in
            logger.info("signal \(sig): stopping")
            stopRelay.request()
        }
        defer { signals.cancel() }
        let streamWiring = try StreamWiring.start(stream, frameTimeoutMs: frameTimeout, logger: logger)
        defer { streamWiring?.stop() }
        OpenCVThreads.set(threads)
        OpenCVLog.set(.error)
        let modelPath = try ModelLocator.resolve(flag: model)
        let classifier = try EmotionModel.classifier(path: modelPath, threads: threads)
        let cascadePath = try DetectionOptions.cascadePath(flag: cascade)
        let detector = try HaarFaceDetector(cascadePath: cascadePath, config: config.detection)
        detector.onPlan = { logger.info("\($0)") }
        // BGR is converted from the camera only for what draws: the window and the stream.
        let input = try spec.openForService(camera: cameraRequest(color: show || streamWiring != nil), pace: pace ?? (show || spec == .test),
                                            fault: testFault.map { (f) throws(CamError) in try TestFault.parse(f) })
        logger.info("source \(input.summary)")
        logger.info("model \(modelPath), cascade \(cascadePath), threads \(threads)")

        let log = try JSONLinesSink(path: log)
        var mqttWiring: MQTTWiring?
        if let mqttSettings { mqttWiring = try MQTTWiring(settings: mqttSettings, logger: logger) }
        defer { mqttWiring?.stop() }   // after the run's last events: drain, offline, disconnect
        if let mqttWiring, let hub = streamWiring?.hub {
            mqttWiring.report { c in hub.setMQTT(queued: c.queued, dropped: c.dropped, published: c.published, connected: c.connected) }
        }
        // Each event is serialized once (FanOutSink) and the same lines go to the log, the stream and MQTT.
        var lineSinks: [EventLineSink] = [log]
        if let streamWiring { lineSinks.append(streamWiring.makeSink()) }
        if let mqttWiring { lineSinks.append(mqttWiring.makeSink()) }
        var sinks: [DetectionSink] = [FanOutSink(lineSinks)]
        if let window { sinks.append(window) }
        let processor = FrameProcessor(detector: detector, classifier: classifier, config: config)
        let pipeline = Pipeline(source: input, processor: processor,
                                sinks: sinks, config: config, logger: logger)
        let service = try ServiceWiring(pipeline: pipeline, processor: processor, log: log, configPath: configFile, logger: logger)
        streamWiring?.watch(pipeline)
        stopRelay.attach { [pipeline] in
            service.stopping()
            pipeline.stop()
        }
        let keys = TerminalKeys { [pipeline] in pipeline.stop() }
        defer {
            keys.restore()
            service.cancel()
        }
        FreedMemory.release()   // what loading the model freed
        try pipeline.run()
        service.stopping()
        window?.waitUntilDismissed { pipeline.isStopRequested }
        let h = pipeline.health
        logger.info("done: \(h.framesCaptured) frames captured, \(h.framesProcessed) processed, \(h.framesDropped) dropped, \(h.eventsEmitted) events")
    }

    private func cameraRequest(color: Bool = true) -> V4L2Request {
        var r = V4L2Request()
        r.color = color
        let (w, h) = (try? Self.parseSize(size)) ?? (640, 480)
        r.width = w
        r.height = h
        r.fps = fps
        r.pixelFormat = pixelFormat
        r.frameTimeoutMs = frameTimeout
        return r
    }

    private func pipelineConfig(stills: Bool) -> PipelineConfig {
        var c = PipelineConfig()
        detection.apply(to: &c, threads: threads)
        c.classification.margin = margin
        c.tracker.maxMissedSeconds = maxMissed
        c.tracker.probabilityAlpha = smoothing
        c.events.updateInterval = updateInterval
        c.ringCapacity = ring
        c.maxFrames = frames
        if stills { c.forStillImages() }
        return c
    }

    static func parseSize(_ s: String) throws -> (Int, Int) {
        let parts = s.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 16, h >= 16, w <= 7680, h <= 4320 else {
            throw ValidationError("--size must be WIDTHxHEIGHT like 640x480, got '\(s)'")
        }
        return (w, h)
    }
}

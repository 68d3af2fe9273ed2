// The pipeline's sink for the HTTP stream: per processed frame it hands the
// hub the frame's events (the log's lines, from FanOutSink), the faces in
// view, stage timings and the processed count, and when PublishPacing says so
// draws the overlay once, encodes it to JPEG once and publishes it. Output
// thread only; never blocks on a viewer. Serves nothing (FERStream does).
import FERCam
import FERNet
import FERStream
import FERVision
import Foundation
import Logging

public final class StreamFeedSink: EventLineSink {
    public let hub: StreamHub
    private var pacing: PublishPacing
    private var fps = FrameRate()
    private let renderer = OverlayRenderer()
    private let clock: () -> Double
    private let logger: Logger

    public init(hub: StreamHub, pacing: PublishPacing, logger: Logger,
                clock: @escaping () -> Double = MonotonicClock.seconds) {
        self.hub = hub
        self.pacing = pacing
        self.logger = logger
        self.clock = clock
    }

    public func consume(_ r: FrameResult, lines: [String]) throws(CamError) -> SinkAction {
        hub.countProcessed()
        if r.ranDetector { hub.recordStage("detect", seconds: r.timings.detect / 1000) }
        if !r.faces.isEmpty { hub.recordStage("classify", seconds: r.timings.classify / 1000) }
        hub.recordStage("track", seconds: r.timings.track / 1000)
        for l in lines { hub.publishEvent(json: l) }
        hub.updateFaces(r.faces.map(FaceSnapshot.init))
        let now = clock()
        let rate = fps.add(now)
        guard pacing.shouldPublish(now: now, viewers: hub.viewerCount) else { return .proceed }
        let start = MonotonicClock.seconds()
        let image = renderer.render(r, fps: rate)
        let drawn = MonotonicClock.seconds()
        do {
            let jpeg = try ImageCodec.encodeJPEG(image, quality: 80)
            hub.recordStage("overlay", seconds: drawn - start)
            hub.recordStage("encode", seconds: MonotonicClock.seconds() - drawn)
            hub.publishFrame(jpeg: jpeg, index: r.frame.index, timestamp: r.frame.time)
        } catch {
            logger.warning("stream: cannot encode frame \(r.frame.index) as JPEG: \(error)")
        }
        return .proceed
    }

    public func finish(finalLines: [String]) throws(CamError) {
        for l in finalLines { hub.publishEvent(json: l) }
        hub.updateFaces([])
    }

    /// Camera lines stay in the log and MQTT; the hub's camera state comes from StreamHealthMirror.
    public func camera(_ event: CameraEvent, line: String, closedLines: [String]) throws(CamError) {
        for l in closedLines { hub.publishEvent(json: l) }
    }
}

extension FaceSnapshot {
    public init(_ f: TrackedFace) {
        self.init(trackID: f.id, box: [f.box.x, f.box.y, f.box.width, f.box.height], emotion: f.emotion.name,
                  score: Double(f.score), probabilities: f.probabilities.map(Double.init))
    }
}

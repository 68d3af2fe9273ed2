// The four stage protocols of the pipeline. Tests swap any stage for a fake;
// the daemon composes real ones. No implementations here.
import FERNet
import FERVision

/// Delivers frames until the end of its input (nil) or an error.
public protocol FrameSource: AnyObject {
    /// Short name for logs and events ("/dev/video0", "clip.mp4", "test").
    var name: String { get }
    /// One-line description of what was opened / negotiated (diagnostics).
    var summary: String { get }
    /// True for cameras (frames keep coming; drop when behind), false for
    /// files and stills (wait for the consumer; drop nothing).
    var isLive: Bool { get }
    /// Frames per second the source runs at, when it knows.
    var nominalFPS: Double? { get }
    /// Blocks until the next frame. nil: no more frames (end of file).
    func next() throws(CamError) -> Frame?
    /// Wakes a blocked `next()` from another thread so it returns nil soon.
    func interrupt()
}

/// Finds faces in a frame (its gray plane); boxes are in that frame's pixels.
public protocol FaceDetector: AnyObject {
    /// `tracked`: the faces followed now (predicted boxes, passes missed), which a detector
    /// may search first (or ignore).
    func detect(_ frame: Frame, tracked: [Track]) throws(CamError) -> [Box]
    /// Ids of the followed faces the last `detect` chose not to look for (rested: their
    /// predicted boxes stand in); not finding them there is no miss.
    var restedTracks: Set<Int> { get }
    /// Ids of the followed faces around which the picture did not change on the last
    /// `detect` (rested or not): they stand where they were last found, not where their
    /// velocity would take them.
    var stillTracks: Set<Int> { get }
}

extension FaceDetector {
    /// A detector that looks for every followed face on every pass.
    public var restedTracks: Set<Int> { [] }
    /// A detector that does not watch motion.
    public var stillTracks: Set<Int> { [] }
}

/// Probabilities for a batch of preprocessed faces.
public protocol EmotionClassifier: AnyObject {
    /// How faces must be prepared (size and normalization of the model).
    var inputSide: Int { get }
    var normalization: InputNormalization { get }
    /// input: (N, 1, side, side) floats; returns N rows of Emotion.count probabilities.
    func classify(_ input: UnsafeBufferPointer<Float>, count: Int) throws(CamError) -> [[Float]]
}

/// Receives every processed frame (with its tracked faces) and every event.
/// Called from the output thread only, in frame order.
public protocol DetectionSink: AnyObject {
    /// One processed frame. Return .stop to end the run (window closed, q pressed).
    func consume(_ result: FrameResult) throws(CamError) -> SinkAction
    /// Once, when the pipeline stops: the `end` events of the tracks still open.
    func finish(finalEvents: [DetectionEvent]) throws(CamError)
}

public enum SinkAction: Sendable { case proceed, stop }

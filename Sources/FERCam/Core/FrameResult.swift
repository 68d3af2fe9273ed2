// What the processing stage hands to the sinks for one frame: the frame, the
// faces it tracks (with smoothed probabilities), the faces just found and not
// yet confirmed, the events this frame caused, and how long each stage took.
// Plain values, no behaviour.
import FERNet
import FERVision

/// One face being followed, as of this frame.
public struct TrackedFace: Sendable, Equatable {
    public var id: Int
    /// In frame pixels.
    public var box: Box
    /// Smoothed (EMA) probabilities, Emotion.count values in label order.
    public var probabilities: [Float]
    /// True when the detector saw it in this frame (not carried over).
    public var detectedNow: Bool

    public init(id: Int, box: Box, probabilities: [Float], detectedNow: Bool) {
        self.id = id
        self.box = box
        self.probabilities = probabilities
        self.detectedNow = detectedNow
    }

    public var emotion: Emotion { Emotion(rawValue: TopScore.argmax(probabilities)) ?? .neutral }
    public var score: Float { probabilities.isEmpty ? 0 : probabilities[TopScore.argmax(probabilities)] }
}

/// Milliseconds spent per processing stage on one frame (decode and drawing
/// are timed where they happen: the source and the sinks).
public struct StageTimings: Sendable, Equatable {
    public var detect: Double = 0      // 0 on frames without a detection pass
    public var classify: Double = 0    // preprocessing + network
    public var track: Double = 0       // association, smoothing, events
    public init() {}
}

public struct FrameResult: Sendable {
    public var frame: Frame
    public var faces: [TrackedFace]
    /// Faces found on this frame's detection pass that are not confirmed yet (in frame pixels):
    /// no id, no emotion, no events. The overlay outlines them, so a face is drawn from the frame
    /// it is first found on; a one-pass false hit is outlined once and never reported.
    public var newFaces: [Box]
    public var events: [DetectionEvent]
    public var ranDetector: Bool
    public var timings: StageTimings
    /// Frames dropped by the ring so far (cumulative).
    public var droppedFrames: Int

    public init(frame: Frame, faces: [TrackedFace], newFaces: [Box] = [], events: [DetectionEvent], ranDetector: Bool,
                timings: StageTimings, droppedFrames: Int = 0) {
        self.frame = frame
        self.faces = faces
        self.newFaces = newFaces
        self.events = events
        self.ranDetector = ranDetector
        self.timings = timings
        self.droppedFrames = droppedFrames
    }

    /// Every box the overlay draws: the followed faces, then the new ones.
    public var drawnBoxes: [Box] { faces.map(\.box) + newFaces }
}

enum TopScore {
    static func argmax(_ p: [Float]) -> Int {
        var best = 0
        for i in p.indices where p[i] > p[best] { best = i }
        return best
    }
}

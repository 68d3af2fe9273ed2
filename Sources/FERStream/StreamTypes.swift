// Plain values the live pipeline hands to the stream: faces in view and camera state.
// No dependency on the pipeline's own types (FERCam); it converts into these.

/// One tracked face as the page shows it.
public struct FaceSnapshot: Sendable, Equatable, Codable {
    /// Stable track id from the tracker.
    public var trackID: Int
    /// Box in frame pixels: [x, y, w, h].
    public var box: [Int]
    /// Top emotion name (FER2013 label, e.g. "happy").
    public var emotion: String
    /// Probability of the top emotion, 0...1.
    public var score: Double
    /// All seven probabilities in FER2013 label order (angry, disgust, fear, happy, sad, surprise, neutral).
    public var probabilities: [Double]

    public init(trackID: Int, box: [Int], emotion: String, score: Double, probabilities: [Double]) {
        self.trackID = trackID
        self.box = box
        self.emotion = emotion
        self.score = score
        self.probabilities = probabilities
    }

    /// Non-finite numbers (NaN from a broken model) become 0 so the JSON stays valid.
    var sanitized: FaceSnapshot {
        var copy = self
        copy.score = score.isFinite ? score : 0
        copy.probabilities = probabilities.map { $0.isFinite ? $0 : 0 }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case trackID = "track_id", box, emotion, score, probabilities
    }
}

/// What the camera is doing, as /healthz, /metrics and the page report it.
public enum CameraState: Sendable, Equatable {
    /// Opening the device or waiting for the first frame.
    case starting
    /// Frames are arriving.
    case streaming
    /// The device went away or failed; the reason is shown to the user.
    case lost(String)

    /// Short name used in JSON and as a metrics label.
    public var name: String {
        switch self {
        case .starting: "starting"
        case .streaming: "streaming"
        case .lost: "lost"
        }
    }

    public var reason: String? {
        if case .lost(let reason) = self { return reason }
        return nil
    }

    static let allNames = ["starting", "streaming", "lost"]
}

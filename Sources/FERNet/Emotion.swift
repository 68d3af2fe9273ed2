// The seven FER2013 emotion labels, in the dataset's order (0 angry … 6 neutral).
// This order is used everywhere: model outputs, logs, reports, the stream.

public enum Emotion: Int, CaseIterable, Codable, Sendable {
    case angry = 0, disgust, fear, happy, sad, surprise, neutral

    /// Lower-case name used in files, logs and folder layouts ("angry", …).
    public var name: String { Emotion.names[rawValue] }

    public static let names = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
    public static let count = 7

    /// Case-insensitive lookup by name ("Happy", "happy").
    public init?(name: String) {
        guard let i = Emotion.names.firstIndex(of: name.lowercased()) else { return nil }
        self.init(rawValue: i)
    }
}

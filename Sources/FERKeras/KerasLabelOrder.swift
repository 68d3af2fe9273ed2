// Which emotion each output of a Keras model means, from `--labels`:
// "alphabetical" (flow_from_directory's class folders), "fer2013" (the CSV's
// order, fer-cam's own) or seven names in the model's output order. It maps
// them onto fer-cam's order; there is no default, since a wrong guess would
// silently swap emotions. It reads no file.

import FERNet
import Foundation

public enum KerasLabelOrder: Equatable, Sendable {
    case alphabetical
    case fer2013
    /// The model's outputs named in its own order, e.g. ["happy", "sad", ...].
    case names([String])

    /// What `--help` and the "no --labels" message offer.
    public static let choices = "alphabetical (\(Emotion.names.sorted().joined(separator: ","))), fer2013 (\(Emotion.names.joined(separator: ","))), or the seven names in the model's output order, comma-separated"

    /// Parses a `--labels` value; `path` names the Keras file in errors.
    public init(parsing text: String, path: String) throws(KerasImportError) {
        switch text.lowercased() {
        case "alphabetical": self = .alphabetical
        case "fer2013": self = .fer2013
        default:
            let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            func fail(_ why: String) -> KerasImportError {
                KerasImportError(path: path, kind: .usage, message: "--labels \(text): \(why); use \(Self.choices)")
            }
            guard names.count == Emotion.count else { throw fail("\(names.count) names, a model has \(Emotion.count) outputs") }
            if let bad = names.first(where: { Emotion(name: $0) == nil }) { throw fail("\"\(bad)\" is not one of fer-cam's emotions") }
            guard Set(names).count == names.count else { throw fail("a name is given twice") }
            self = .names(names)
        }
    }

    /// The emotion of each model output, in the model's order.
    public var outputNames: [String] {
        switch self {
        case .alphabetical: return Emotion.names.sorted()
        case .fer2013: return Emotion.names
        case .names(let n): return n
        }
    }

    /// For each fer-cam class j (Emotion's order), the index of the model output that holds it.
    public var sourceIndex: [Int] {
        let outputs = outputNames
        return Emotion.names.map { outputs.firstIndex(of: $0)! }
    }

    /// For provenance and messages: "alphabetical (angry,disgust,...)".
    public var text: String {
        switch self {
        case .alphabetical: return "alphabetical (\(outputNames.joined(separator: ",")))"
        case .fer2013: return "fer2013 (\(outputNames.joined(separator: ",")))"
        case .names(let n): return n.joined(separator: ",")
        }
    }
}

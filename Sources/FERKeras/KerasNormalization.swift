// `--normalization` of `fer-train import`: how the Keras model expects its
// pixels, "unit" (pixel/255, the seeds' way), "fer2013" (FER2013 Training's
// mean and spread, as fer-train's own models) or "MEAN,STD" on the 0-1 scale
// (x = (pixel/255 - MEAN) / STD). Parsing only.

import FERNet

public struct KerasNormalization: Equatable, Sendable {
    public var value: InputNormalization
    /// As given, for provenance: "unit", "fer2013" or "0.5,0.5".
    public var name: String

    public static let choices = "unit (pixel/255), fer2013 (mean \(InputNormalization.fer2013.mean), std \(InputNormalization.fer2013.std) on the 0-1 scale) or MEAN,STD on the 0-1 scale"

    public init(parsing text: String, path: String) throws(KerasImportError) {
        func fail(_ why: String) -> KerasImportError {
            KerasImportError(path: path, kind: .usage, message: "--normalization \(text): \(why); use \(Self.choices)")
        }
        name = text
        switch text.lowercased() {
        case "unit": value = .unit
        case "fer2013": value = .fer2013
        default:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let mean = Float(parts[0].filter { $0 != " " }), let std = Float(parts[1].filter { $0 != " " }) else {
                throw fail("not a name or two numbers")
            }
            guard mean.isFinite, std.isFinite, std > 0 else { throw fail("MEAN must be finite and STD greater than 0") }
            value = InputNormalization(scale: 1.0 / 255.0, mean: mean, std: std)
        }
    }
}

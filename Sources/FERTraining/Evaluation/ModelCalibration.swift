// `fer-train calibrate` as a library call: run a model file's networks over one
// split, fit the temperature that makes their probabilities honest (lowest
// negative log-likelihood), and return the model with that temperature folded
// into its last layers, plus the figures before and after. Accuracy does not
// change. The CLI only parses arguments, prints and saves.
import FERNet
import Foundation

public struct CalibrationReport: Codable, Sendable {
    public var model: String
    public var architecture: String
    public var data: String
    public var split: String
    public var images: Int
    /// Logits are divided by this (> 1: the model was overconfident).
    public var temperature: Double
    /// The same before and after.
    public var accuracy: Double
    public var lossBefore: Double, lossAfter: Double
    /// Expected calibration error, 15 bins.
    public var calibrationErrorBefore: Double, calibrationErrorAfter: Double

    public var json: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    /// One line for the model file's provenance.
    public var provenance: String {
        String(format: "logits divided by %.4f, fitted on %@ of %@ (%d faces): loss %.4f -> %.4f, ECE %.4f -> %.4f",
               temperature, split, data, images, lossBefore, lossAfter, calibrationErrorBefore, calibrationErrorAfter)
    }

    public var text: String {
        [
            "model \(model) (\(architecture))",
            "data  \(data) [\(split)], \(images) faces",
            String(format: "temperature %.4f (logits divided by it; accuracy unchanged, %.2f %%)", temperature, accuracy * 100),
            String(format: "loss        %.4f -> %.4f", lossBefore, lossAfter),
            String(format: "ECE (15 bins) %.4f -> %.4f", calibrationErrorBefore, calibrationErrorAfter),
        ].joined(separator: "\n")
    }
}

public enum ModelCalibration {
    /// Fits the temperature of `modelPath` on split `split` of `dataPath`; returns
    /// the figures and the calibrated model (provenance key "calibration").
    public static func run(model modelPath: String, data dataPath: String, split: String,
                           batchSize: Int = 256, threads: Int = 2) throws -> (report: CalibrationReport, model: LoadedModel) {
        let (nets, pre, loaded) = try ModelEvaluation.loadNetworks(modelPath)
        let data = try DataSource.load(dataPath).split(split)
        let k = Emotion.count
        let members = try nets.map { net in  // one (N, 7) array per network
            try Evaluator.probabilities(nets: [net], data: data, preprocessor: pre, batchSize: batchSize, threads: threads)
        }
        let t = Calibration.fitTemperature(members: members, labels: data.labels, classes: k)

        let before = Calibration.probabilities(members: members, classes: k, temperature: 1)  // (N, 7)
        let after = Calibration.probabilities(members: members, classes: k, temperature: t)   // (N, 7)
        let report = CalibrationReport(
            model: modelPath, architecture: loaded.architecture, data: dataPath, split: split, images: data.count,
            temperature: t,
            accuracy: Evaluator.evaluate(probabilities: before, labels: data.labels, classes: k).accuracy,
            lossBefore: Calibration.negativeLogLikelihood(members: members, labels: data.labels, classes: k, temperature: 1),
            lossAfter: Calibration.negativeLogLikelihood(members: members, labels: data.labels, classes: k, temperature: t),
            calibrationErrorBefore: Calibration.expectedCalibrationError(probabilities: before, labels: data.labels, classes: k),
            calibrationErrorAfter: Calibration.expectedCalibrationError(probabilities: after, labels: data.labels, classes: k))
        var calibrated: LoadedModel
        do { calibrated = try loaded.dividingLogits(by: Float(t)) } catch {
            throw EvaluationError.incompatibleModel(path: modelPath, reason: error.description)
        }
        calibrated.provenance["calibration"] = report.provenance + (loaded.provenance["calibration"].map { "; before that, " + $0 } ?? "")
        return (report, calibrated)
    }
}

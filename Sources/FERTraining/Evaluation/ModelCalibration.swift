// `fer-train calibrate` as a library call: run a model file's networks over one
// split, fit the temperature that makes their probabilities honest (lowest
// negative log-likelihood), and return the model with that temperature folded
// into its last layers, plus the figures before and after. A single network's
// predictions do not change; an ensemble's can, on near ties (one temperature
// for all members, then the mean of their probabilities), so accuracy is
// measured on both sides. The CLI only parses arguments, prints and saves.
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
    /// Before and after (equal for one network; an ensemble's can differ on near ties).
    public var accuracy: Double, accuracyAfter: Double
    /// Faces whose predicted class the temperature changed (0 for one network).
    public var changedPredictions: Int
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
            String(format: "temperature %.4f (logits divided by it)", temperature),
            changedPredictions == 0
                ? String(format: "accuracy    %.2f %% (unchanged: no face changed class)", accuracy * 100)
                : String(format: "accuracy    %.2f %% -> %.2f %% (%d faces changed class: near ties between members)",
                         accuracy * 100, accuracyAfter * 100, changedPredictions),
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
            accuracyAfter: Evaluator.evaluate(probabilities: after, labels: data.labels, classes: k).accuracy,
            changedPredictions: (0 ..< data.count).filter {
                Evaluator.predictedClass(before, face: $0, classes: k) != Evaluator.predictedClass(after, face: $0, classes: k)
            }.count,
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

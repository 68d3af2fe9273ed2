// Knowledge distillation targets: runs a teacher model (one network or an
// ensemble) once over the training faces, unaugmented, and blends its
// probabilities, softened by a temperature, into each face's own target (its
// one-hot label, or its FER+ vote distribution). The trainer then sees plain
// soft targets, so checkpoints and resume work as for FER+. It does not train
// and does not change the labels (accuracy is still counted against them).
import FERNet
import FERVision
import Foundation

/// How much of the target the teacher supplies, and how soft its distribution is.
public struct Distillation: Codable, Sendable, Equatable {
    /// Share of the teacher in the target, in (0, 1]; the rest is the face's own target.
    public var weight: Float = 0.7
    /// Temperature T: the teacher's p becomes softmax(log p / T), i.e. p^(1/T) renormalized.
    public var temperature: Float = 2

    public init(weight: Float = 0.7, temperature: Float = 2) {
        self.weight = weight
        self.temperature = temperature
    }

    /// Problems as messages naming the option; empty when fine.
    public var problems: [String] {
        var p: [String] = []
        if !(weight > 0 && weight <= 1) { p.append("--teacher-weight must be in (0, 1]") }
        if !(temperature > 0 && temperature <= 20) { p.append("--teacher-temperature must be in (0, 20]") }
        return p
    }
}

public enum TeacherTargets {
    /// `data` with soft targets (N, 7) = weight · soften(teacher, T) + (1 − weight) · own target.
    /// `teacher`: (N, 7) probabilities, one row per face of `data`, in FER2013 label order.
    public static func blend(teacher: [Float], into data: FaceDataset, _ d: Distillation) -> FaceDataset {
        let k = Emotion.count
        precondition(teacher.count == data.count * k, "\(teacher.count) teacher probabilities for \(data.count) faces")
        var targets = [Float](repeating: 0, count: data.count * k)  // (N, 7)
        var soft = [Double](repeating: 0, count: k)                  // (7) one softened row
        let w = Double(d.weight)
        for i in 0 ..< data.count {
            Calibration.soften(teacher[i * k ..< (i + 1) * k], temperature: Double(d.temperature), into: &soft)
            for c in 0 ..< k {
                let own: Double = data.softTargets.map { Double($0[i * k + c]) } ?? (Int(data.labels[i]) == c ? 1 : 0)
                targets[i * k + c] = Float(w * soft[c] + (1 - w) * own)
            }
        }
        return FaceDataset(source: data.source + "+teacher", pixels: data.pixels, labels: data.labels, softTargets: targets)
    }

    /// Runs `teacher` (loaded from `path`, for messages) over `data` and blends its
    /// probabilities in. Also returns how often the teacher's top class equals the label.
    public static func apply(teacher: LoadedModel, path: String, to data: FaceDataset, _ d: Distillation,
                             threads: Int = 2) throws -> (data: FaceDataset, agreement: Double) {
        guard teacher.labels == Emotion.names else {
            throw DatasetError.badTeacher(path: path, reason: "the teacher's labels are \(teacher.labels), fer-train needs \(Emotion.names)")
        }
        guard teacher.spec.input == [1, FaceDataset.side, FaceDataset.side] else {
            throw DatasetError.badTeacher(path: path, reason: "the teacher takes input \(teacher.spec.input), the faces are [1, 48, 48]")
        }
        let nets = try teacher.networks()
        let probs = try Evaluator.probabilities(nets: nets, data: data, preprocessor: FacePreprocessor(normalization: teacher.normalization),
                                                threads: threads)  // (N, 7)
        let agreement = Evaluator.evaluate(probabilities: probs, labels: data.labels, classes: Emotion.count).accuracy
        return (blend(teacher: probs, into: data, d), agreement)
    }
}

// The result of `fer-train eval` as a value: what was evaluated, accuracy ± its
// standard error, per-class metrics and the confusion matrix; as JSON, as
// text for a terminal and as Markdown for a model card. Formatting only; Evaluator computes the numbers.
import FERNet
import Foundation

public struct EvaluationReport: Codable, Sendable {
    public var model: String
    /// The model's networks: "fer-vgg", or an ensemble's "fer-vgg + fer-vgg-half".
    public var architecture: String
    public var data: String
    public var split: String
    public var images: Int
    public var tta: Bool
    public var accuracy: Double
    public var standardError: Double
    public var loss: Double
    /// Expected calibration error of the top class (15 bins): 0 when confidence matches accuracy.
    public var calibrationError: Double
    public var macroF1: Double
    public var classes: [ClassMetrics]
    /// (7, 7): confusion[true][predicted].
    public var confusion: [[Int]]
    public var labels: [String]
    public var seconds: Double

    public init(model: String, architecture: String, data: String, split: String, evaluation e: Evaluation, tta: Bool, seconds: Double) {
        self.model = model; self.architecture = architecture; self.data = data; self.split = split
        images = e.confusion.total
        self.tta = tta
        accuracy = e.accuracy
        standardError = e.standardError
        loss = e.loss
        calibrationError = e.calibrationError
        macroF1 = e.confusion.macroF1
        classes = e.confusion.classMetrics()
        confusion = e.confusion.counts
        labels = Emotion.names
        self.seconds = seconds
    }

    public var json: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    /// "65.43 ± 0.79 %" (one standard error).
    public var accuracyText: String { String(format: "%.2f ± %.2f %%", accuracy * 100, standardError * 100) }

    public var text: String {
        var lines: [String] = []
        lines.append("model \(model) (\(architecture))")
        lines.append("data  \(data) [\(split)], \(images) faces\(tta ? ", test-time augmentation (\(Evaluator.ttaViews.count) views)" : "")")
        lines.append("accuracy \(accuracyText)   macro F1 \(String(format: "%.3f", macroF1))   loss \(String(format: "%.4f", loss))   ECE \(String(format: "%.4f", calibrationError))")
        lines.append("")
        lines.append("class        precision  recall     F1  support")
        for c in classes {
            lines.append(c.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%10.3f%8.3f%7.3f%9d", c.precision, c.recall, c.f1, c.support))
        }
        lines.append("")
        lines.append(ConfusionMatrix(counts: confusion).table(names: labels))
        return lines.joined(separator: "\n")
    }

    /// The figures as Markdown, ready for a model card: the headline, the
    /// per-class table and the confusion matrix (rows true, columns predicted).
    public var markdown: String {
        var lines = [
            "accuracy **\(accuracyText)** on \(split) (\(images) faces\(tta ? ", test-time augmentation" : ", no test-time augmentation")), "
                + String(format: "macro F1 %.3f, loss %.3f, expected calibration error %.3f", macroF1, loss, calibrationError),
            "",
            "| class | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for c in classes {
            lines.append("| \(c.name) | " + String(format: "%.3f | %.3f | %.3f | %d |", c.precision, c.recall, c.f1, c.support))
        }
        lines += ["", "| true \\ pred | " + labels.joined(separator: " | ") + " |",
                  "|---|" + String(repeating: "---|", count: labels.count)]
        for (name, row) in zip(labels, confusion) {
            lines.append("| \(name) | " + row.map(String.init).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

// Classification metrics from (true, predicted) pairs: the confusion matrix,
// accuracy with its standard error sqrt(p(1-p)/n), per-class precision,
// recall and F1, macro F1. Pure arithmetic on counts; no model, no files.
import Foundation
import FERNet

public struct ConfusionMatrix: Codable, Sendable, Equatable {
    public let classes: Int
    /// (classes, classes): counts[true][predicted].
    public private(set) var counts: [[Int]]

    public init(classes: Int = Emotion.count) {
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// From a square table of counts, counts[true][predicted].
    public init(counts: [[Int]]) {
        precondition(counts.allSatisfy { $0.count == counts.count }, "confusion counts must be square")
        classes = counts.count
        self.counts = counts
    }

    public mutating func add(truth: Int, predicted: Int) {
        counts[truth][predicted] += 1
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0 ..< classes).reduce(0) { $0 + counts[$1][$1] } }

    /// Fraction correct (0 when empty).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Binomial standard error of the accuracy, sqrt(p(1-p)/n).
    public var standardError: Double {
        total == 0 ? 0 : (accuracy * (1 - accuracy) / Double(total)).squareRoot()
    }

    /// Faces whose true class is c.
    public func support(_ c: Int) -> Int { counts[c].reduce(0, +) }

    /// Of the faces predicted c, the fraction that are c (0 when none predicted).
    public func precision(_ c: Int) -> Double {
        let predicted = (0 ..< classes).reduce(0) { $0 + counts[$1][c] }
        return predicted == 0 ? 0 : Double(counts[c][c]) / Double(predicted)
    }

    /// Of the faces that are c, the fraction predicted c (0 when none).
    public func recall(_ c: Int) -> Double {
        let s = support(c)
        return s == 0 ? 0 : Double(counts[c][c]) / Double(s)
    }

    public func f1(_ c: Int) -> Double {
        let p = precision(c), r = recall(c)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Unweighted mean F1 over classes.
    public var macroF1: Double { (0 ..< classes).reduce(0) { $0 + f1($1) } / Double(classes) }
}

/// Per-class figures for reports and JSON.
public struct ClassMetrics: Codable, Sendable, Equatable {
    public var name: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int
}

extension ConfusionMatrix {
    public func classMetrics(names: [String] = Emotion.names) -> [ClassMetrics] {
        (0 ..< classes).map { c in
            ClassMetrics(name: c < names.count ? names[c] : "class\(c)", precision: precision(c), recall: recall(c), f1: f1(c), support: support(c))
        }
    }

    /// A fixed-width text table: rows are true classes, columns predictions.
    public func table(names: [String] = Emotion.names) -> String {
        let short = names.map { String($0.prefix(8)) }
        var lines = ["true \\ pred".padding(toLength: 12, withPad: " ", startingAt: 0) + short.map { $0.leftPad(9) }.joined()]
        for r in 0 ..< classes {
            lines.append(short[r].padding(toLength: 12, withPad: " ", startingAt: 0) + counts[r].map { String($0).leftPad(9) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

// Probability calibration: softening a distribution by a temperature, the
// negative log-likelihood of a (possibly ensembled) model at a temperature, the
// temperature that minimizes it (temperature scaling, one scalar for all
// classes), and the expected calibration error. Pure math on probability rows;
// it runs no network and writes nothing (ModelCalibration does).
import Foundation

public enum Calibration {
    /// Temperatures the fit searches, as a closed range of T.
    public static let searchRange: ClosedRange<Double> = 0.05 ... 20

    /// softmax(log p / T) of one row, i.e. p^(1/T) renormalized, into `out` (same
    /// count). Probabilities below 1e-12 count as 1e-12; within `searchRange` no
    /// power underflows a Double.
    public static func soften<P: Collection>(_ p: P, temperature: Double, into out: inout [Double]) where P.Element == Float {
        let invT = 1 / temperature
        var sum = 0.0
        for (c, v) in p.enumerated() {
            out[c] = Foundation.pow(Double(max(v, 1e-12)), invT)
            sum += out[c]
        }
        for c in 0 ..< p.count { out[c] /= sum }
    }

    /// The model's output at `temperature`: the mean over `members` of each
    /// member's softened rows, (N, classes). `members`: (N, classes) each.
    public static func probabilities(members: [[Float]], classes k: Int, temperature: Double) -> [Float] {
        let n = (members.first?.count ?? 0) / k
        var out = [Float](repeating: 0, count: n * k)  // (N, K)
        var soft = [Double](repeating: 0, count: k)    // (K) one member's softened row
        for p in members {
            for i in 0 ..< n {
                soften(p[i * k ..< (i + 1) * k], temperature: temperature, into: &soft)
                for c in 0 ..< k { out[i * k + c] += Float(soft[c] / Double(members.count)) }
            }
        }
        return out
    }

    /// Mean −log q[label] over the faces, where q is the mean over `members` of
    /// each member's probabilities softened by `temperature`.
    /// `members`: one (N, classes) probability array per network (a plain model: one).
    public static func negativeLogLikelihood(members: [[Float]], labels: [UInt8], classes k: Int, temperature: Double) -> Double {
        guard !labels.isEmpty else { return 0 }
        var soft = [Double](repeating: 0, count: k)  // (K) one member's softened row
        var total = 0.0
        for (i, y) in labels.enumerated() {
            var q = 0.0
            for p in members {
                soften(p[i * k ..< (i + 1) * k], temperature: temperature, into: &soft)
                q += soft[Int(y)]
            }
            total -= Foundation.log(max(q / Double(members.count), 1e-300))
        }
        return total / Double(labels.count)
    }

    /// The temperature in `searchRange` with the lowest negative log-likelihood:
    /// golden-section search on log T (the likelihood of one network is
    /// unimodal in 1/T), to a relative precision of about 1e-6.
    public static func fitTemperature(members: [[Float]], labels: [UInt8], classes k: Int) -> Double {
        func nll(_ u: Double) -> Double { negativeLogLikelihood(members: members, labels: labels, classes: k, temperature: Foundation.exp(u)) }
        let phi = (5.0.squareRoot() - 1) / 2
        var a = Foundation.log(searchRange.lowerBound), b = Foundation.log(searchRange.upperBound)
        var c = b - phi * (b - a), d = a + phi * (b - a)
        var fc = nll(c), fd = nll(d)
        while b - a > 1e-6 {
            if fc <= fd {
                b = d; d = c; fd = fc
                c = b - phi * (b - a); fc = nll(c)
            } else {
                a = c; c = d; fc = fd
                d = a + phi * (b - a); fd = nll(d)
            }
        }
        return Foundation.exp((a + b) / 2)
    }

    /// Expected calibration error: faces binned by their top probability into
    /// `bins` equal-width bins; the mean over faces of |bin accuracy − bin mean
    /// confidence|. `probabilities`: (N, classes).
    public static func expectedCalibrationError(probabilities p: [Float], labels: [UInt8], classes k: Int, bins: Int = 15) -> Double {
        guard !labels.isEmpty else { return 0 }
        var count = [Int](repeating: 0, count: bins), right = [Int](repeating: 0, count: bins)
        var confidence = [Double](repeating: 0, count: bins)
        for (i, y) in labels.enumerated() {
            let top = Evaluator.predictedClass(p, face: i, classes: k)
            let conf = Double(p[i * k + top])
            let b = min(bins - 1, max(0, Int(conf * Double(bins))))
            count[b] += 1
            confidence[b] += conf
            if top == Int(y) { right[b] += 1 }
        }
        var ece = 0.0
        for b in 0 ..< bins where count[b] > 0 { ece += abs(Double(right[b]) - confidence[b]) }
        return ece / Double(labels.count)
    }
}

// SoftmaxCrossEntropy: the training loss on logits (N, K), with optional class
// weights and label smoothing, for hard labels or soft targets (probability
// rows, e.g. FER+ votes). Returns the mean loss and dLoss/dLogits.
//
// With target distribution t (smoothed: (1-e)*t + e/K) and class weights w:
//   hard labels y_n:  loss = sum_n w[y_n] * (-sum_k t_nk log p_nk) / sum_n w[y_n]
//                     (PyTorch's weighted mean; without weights, the plain mean)
//   soft targets:     loss = (1/N) sum_n (-sum_k w_k t_nk log p_nk)
// Computed in Double per row, so it is exact enough for gradient checks.

public struct SoftmaxCrossEntropy: Sendable {
    /// One weight per class, or nil for all 1.
    public var classWeights: [Float]?
    /// Label smoothing e in [0, 1).
    public var labelSmoothing: Float

    public init(classWeights: [Float]? = nil, labelSmoothing: Float = 0) {
        precondition(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing \(labelSmoothing) must be in [0, 1)")
        self.classWeights = classWeights
        self.labelSmoothing = labelSmoothing
    }

    /// Mean loss and its gradient w.r.t. the logits, for class indices `labels` (N).
    public func lossAndGradient(logits: Tensor, labels: [Int]) -> (loss: Float, dLogits: Tensor) {
        let (n, k) = dims(logits)
        precondition(labels.count == n, "\(labels.count) labels for \(n) rows of logits")
        var targets = [Float](repeating: 0, count: n * k)
        for (i, y) in labels.enumerated() {
            precondition(y >= 0 && y < k, "label \(y) outside 0..<\(k)")
            targets[i * k + y] = 1
        }
        let rowWeights = labels.map { classWeights?[$0] ?? 1 }
        let norm = rowWeights.reduce(0, +)
        return compute(logits: logits, n: n, k: k, targets: targets, rowWeights: rowWeights, classWise: false, normaliser: norm)
    }

    /// Mean loss and gradient for soft targets (N, K): each row sums to 1.
    public func lossAndGradient(logits: Tensor, targets: Tensor) -> (loss: Float, dLogits: Tensor) {
        let (n, k) = dims(logits)
        precondition(targets.shape == [n, k], "targets shape \(targets.shape) must equal logits shape \(logits.shape)")
        return compute(logits: logits, n: n, k: k, targets: targets.toArray(),
                       rowWeights: [Float](repeating: 1, count: n), classWise: true, normaliser: Float(n))
    }

    private func dims(_ logits: Tensor) -> (Int, Int) {
        precondition(logits.rank == 2, "logits must be (N, K), got \(logits.shape)")
        if let w = classWeights { precondition(w.count == logits.shape[1], "\(w.count) class weights for \(logits.shape[1]) classes") }
        return (logits.shape[0], logits.shape[1])
    }

    private func compute(logits: Tensor, n: Int, k: Int, targets: [Float], rowWeights: [Float], classWise: Bool,
                         normaliser: Float) -> (loss: Float, dLogits: Tensor) {
        let z = logits.toArray()
        let grad = Tensor(shape: [n, k])
        let g = grad.data
        let e = Double(labelSmoothing)
        var total: Double = 0
        var logp = [Double](repeating: 0, count: k)
        for i in 0..<n {
            var mx = -Double.infinity
            for c in 0..<k { mx = max(mx, Double(z[i * k + c])) }
            var s: Double = 0
            for c in 0..<k { s += _exp(Double(z[i * k + c]) - mx) }
            let lse = mx + _log(s)
            for c in 0..<k { logp[c] = Double(z[i * k + c]) - lse }
            // a_c = weight * smoothed target; loss_i = -sum a_c log p_c; dloss_i/dz = p * sum(a) - a
            var sumA: Double = 0
            var rowLoss: Double = 0
            var a = [Double](repeating: 0, count: k)
            for c in 0..<k {
                let t = (1 - e) * Double(targets[i * k + c]) + e / Double(k)
                let w = classWise ? Double(classWeights?[c] ?? 1) : Double(rowWeights[i])
                a[c] = w * t
                sumA += a[c]
                rowLoss -= a[c] * logp[c]
            }
            total += rowLoss
            for c in 0..<k {
                g[i * k + c] = Float((_exp(logp[c]) * sumA - a[c]) / Double(normaliser))
            }
        }
        return (Float(total / Double(normaliser)), grad)
    }
}

/// Softmax of each row of `logits` (N, K), computed stably.
public func softmax(_ logits: Tensor) -> Tensor {
    precondition(logits.rank == 2, "logits must be (N, K), got \(logits.shape)")
    let n = logits.shape[0], k = logits.shape[1]
    let z = logits.toArray()
    let out = Tensor(shape: [n, k])
    softmaxRows(z, n: n, k: k, into: out.data)
    return out
}

func softmaxRows(_ z: UnsafePointer<Float>, n: Int, k: Int, into out: UnsafeMutablePointer<Float>) {
    for i in 0..<n {
        var mx = -Float.infinity
        for c in 0..<k { mx = max(mx, z[i * k + c]) }
        var s: Float = 0
        for c in 0..<k { let v = _expf(z[i * k + c] - mx); out[i * k + c] = v; s += v }
        let inv = 1 / s
        for c in 0..<k { out[i * k + c] *= inv }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _expf(_ x: Float) -> Float { Glibc.expf(x) }
#else
import Foundation
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _expf(_ x: Float) -> Float { Foundation.expf(x) }
#endif

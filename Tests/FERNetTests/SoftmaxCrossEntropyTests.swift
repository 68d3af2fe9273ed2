import Testing
import Foundation
@testable import FERNet

@Suite struct SoftmaxCrossEntropyTests {
    @Test func handWorkedTwoClassLoss() {
        // logits (0, ln 3): p = (1/4, 3/4); label 1 -> loss -ln(3/4); grad p - onehot = (1/4, -1/4)
        let logits = Tensor(shape: [1, 2], values: [0, Float(log(3.0))])
        let (loss, d) = SoftmaxCrossEntropy().lossAndGradient(logits: logits, labels: [1])
        #expect(abs(loss - Float(-log(0.75))) < 1e-6)
        #expect(maxAbsDifference(d.toArray(), [0.25, -0.25]) < 1e-6)
    }

    @Test func classWeightsGiveAWeightedMean() {
        // Two identical rows with labels 0 and 1, weights (1, 3): loss = (1*l0 + 3*l1) / 4.
        let logits = Tensor(shape: [2, 2], values: [0, Float(log(3.0)), 0, Float(log(3.0))])
        let (loss, _) = SoftmaxCrossEntropy(classWeights: [1, 3]).lossAndGradient(logits: logits, labels: [0, 1])
        let expected = (1 * -log(0.25) + 3 * -log(0.75)) / 4
        #expect(abs(Double(loss) - expected) < 1e-6)
    }

    @Test func labelSmoothingEqualsSoftTargets() {
        let logits = randomTensor([3, 4], seed: 1, scale: 3)
        let e: Float = 0.2
        let hard = SoftmaxCrossEntropy(labelSmoothing: e).lossAndGradient(logits: logits, labels: [0, 3, 1])
        var t = [Float](repeating: e / 4, count: 12)
        for (i, y) in [0, 3, 1].enumerated() { t[i * 4 + y] += 1 - e }
        let soft = SoftmaxCrossEntropy().lossAndGradient(logits: logits, targets: Tensor(shape: [3, 4], values: t))
        #expect(abs(hard.loss - soft.loss) < 1e-6)
        #expect(maxAbsDifference(hard.dLogits.toArray(), soft.dLogits.toArray()) < 1e-6)
    }

    @Test(arguments: [0, 1, 2])
    func gradientMatchesFiniteDifferences(variant: Int) {
        let n = 4, k = 7
        let logits = randomTensor([n, k], seed: 7, scale: 2)
        let loss = variant == 0 ? SoftmaxCrossEntropy()
            : SoftmaxCrossEntropy(classWeights: (0..<k).map { 0.5 + Float($0) * 0.25 }, labelSmoothing: 0.1)
        let labels = [0, 3, 6, 2]
        var votes = randomTensor([n, k], seed: 8).toArray().map { abs($0) }
        for i in 0..<n { let s = votes[(i * k)..<(i * k + k)].reduce(0, +); for c in 0..<k { votes[i * k + c] /= s } }
        let targets = Tensor(shape: [n, k], values: votes)
        func value(_ z: Tensor) -> Float {
            variant == 2 ? loss.lossAndGradient(logits: z, targets: targets).loss : loss.lossAndGradient(logits: z, labels: labels).loss
        }
        let analytic = (variant == 2 ? loss.lossAndGradient(logits: logits, targets: targets) : loss.lossAndGradient(logits: logits, labels: labels)).dLogits.toArray()
        var z = logits.toArray()
        var worst: Float = 0
        let eps: Float = 1e-2
        for i in 0..<z.count {
            let old = z[i]
            z[i] = old + eps; let lp = value(Tensor(shape: [n, k], values: z))
            z[i] = old - eps; let lm = value(Tensor(shape: [n, k], values: z))
            z[i] = old
            worst = max(worst, abs((lp - lm) / (2 * eps) - analytic[i]))
        }
        // Gradients are O(0.1); the loss is exact to ~1e-7, so differences are good to ~1e-4.
        #expect(worst < 5e-4, "max abs error \(worst)")
    }

    @Test func softmaxRowsSumToOne() {
        let p = softmax(Tensor(shape: [2, 3], values: [1000, 1001, 1002, -5, 0, 5])).toArray()
        #expect(abs(p[0..<3].reduce(0, +) - 1) < 1e-6 && abs(p[3..<6].reduce(0, +) - 1) < 1e-6)
        #expect(p[2] > p[1] && p[1] > p[0])
    }
}

import Testing
@testable import FERNet

@Suite struct BatchNormTests {
    @Test func trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
        // One channel, values 1...4 over N=1, 2x2: mean 2.5, biased var 1.25, unbiased 5/3.
        let bn = BatchNorm(name: "bn", channels: 1, epsilon: 0, momentum: 0.1)
        bn.weight.value.assign([2]); bn.bias.value.assign([1])
        let y = bn.forward(Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4]), training: true).toArray()
        let s = Float(1.25).squareRoot()
        let expected: [Float] = [1, 2, 3, 4].map { 2 * ($0 - 2.5) / s + 1 }
        #expect(maxAbsDifference(y, expected) < 1e-5)
        #expect(abs(bn.runningMean.toArray()[0] - 0.25) < 1e-6)                    // 0.9*0 + 0.1*2.5
        #expect(abs(bn.runningVar.toArray()[0] - (0.9 + 0.1 * 5 / 3)) < 1e-6)      // 0.9*1 + 0.1*5/3
    }

    @Test func inferenceUsesRunningStatistics() {
        let bn = BatchNorm(name: "bn", channels: 2, epsilon: 0, momentum: 0.1)
        bn.runningMean.assign([1, -1]); bn.runningVar.assign([4, 0.25])
        bn.weight.value.assign([1, 3]); bn.bias.value.assign([0, 1])
        // (N=2, C=2) dense input
        let y = bn.forward(Tensor(shape: [2, 2], values: [3, 0, 5, -2]), training: false).toArray()
        #expect(maxAbsDifference(y, [1, 7, 2, -5]) < 1e-6)  // (3-1)/2, 3*(0+1)/0.5+1, (5-1)/2, 3*(-2+1)/0.5+1
    }

    @Test func dense2DTrainingUsesPerFeatureStatistics() {
        let bn = BatchNorm(name: "bn", channels: 2, epsilon: 0, momentum: 1)
        _ = bn.forward(Tensor(shape: [2, 2], values: [0, 10, 2, 30]), training: true)
        #expect(bn.runningMean.toArray() == [1, 20])
        #expect(bn.runningVar.toArray() == [2, 200])  // unbiased
    }

    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences4D(channelMajor: Bool) {
        let bn = BatchNorm(name: "bn", channels: 3, epsilon: 1e-5, momentum: 0.1)
        bn.weight.value.assign([1.5, -0.5, 2]); bn.bias.value.assign([0.1, 0.2, -0.3])
        var x = randomTensor([2, 3, 3, 3], seed: 21, scale: 2)
        if channelMajor { let t = Tensor.channelMajor(2, 3, 3, 3); t.assign(x.toArray()); x = t }
        let r = gradCheck(bn, input: x, eps: 1e-2)
        #expect(r.worst < 5e-3, "max relative error \(r)")
    }

    @Test func gradientsMatchFiniteDifferences2D() {
        let bn = BatchNorm(name: "bn", channels: 4, epsilon: 1e-5, momentum: 0.1)
        bn.weight.value.assign([1, 2, 0.5, -1])
        let r = gradCheck(bn, input: randomTensor([6, 4], seed: 22, scale: 2), eps: 1e-2)
        #expect(r.worst < 5e-3, "max relative error \(r)")
    }
}

@Suite struct BatchNormFusedReLUTests {
    @Test(arguments: [true, false])
    func fusedReLUEqualsBatchNormThenReLU(training: Bool) {
        let fused = BatchNorm(name: "bn", channels: 3, epsilon: 1e-5, momentum: 0.1, fusedReLU: true)
        let plain = BatchNorm(name: "bn", channels: 3, epsilon: 1e-5, momentum: 0.1)
        let relu = ReLU()
        for bn in [fused, plain] {
            bn.weight.value.assign([1.5, -0.5, 2]); bn.bias.value.assign([0.1, 0.2, -0.3])
            bn.runningMean.assign([0.1, -0.2, 0.3]); bn.runningVar.assign([0.5, 2, 1])
        }
        let x = Tensor.channelMajor(2, 3, 3, 3)
        x.assign(randomTensor([2, 3, 3, 3], seed: 23, scale: 2).toArray())
        let yf = fused.forward(x, training: training).toArray()
        let yp = relu.forward(plain.forward(x, training: training), training: training).toArray()
        #expect(maxAbsDifference(yf, yp) < 1e-6)
        #expect(yf.contains(0) && yf.contains { $0 > 0 })
        guard training else { return }
        let dy = randomTensor([2, 3, 3, 3], seed: 24)
        let dxf = fused.backward(dy).toArray()
        let dxp = plain.backward(relu.backward(dy)).toArray()
        #expect(maxAbsDifference(dxf, dxp) < 1e-5)
        #expect(maxAbsDifference(fused.weight.grad.toArray(), plain.weight.grad.toArray()) < 1e-5)
        #expect(maxAbsDifference(fused.bias.grad.toArray(), plain.bias.grad.toArray()) < 1e-5)
    }
}

import Testing
@testable import FERNet

@Suite struct DenseTests {
    @Test func handWorkedForwardAndBackward() {
        let d = Dense(name: "fc", inFeatures: 3, outFeatures: 2, rng: SeededRandom(seed: 1))
        d.weight.value.assign([1, 2, 3, -1, 0, 1])  // (out=2, in=3)
        d.bias.value.assign([0.5, -0.5])
        let x = Tensor(shape: [2, 3], values: [1, 1, 1, 2, 0, -1])
        #expect(d.forward(x, training: true).toArray() == [6.5, -0.5, -0.5, -3.5])
        let dx = d.backward(Tensor(shape: [2, 2], values: [1, 0, 0, 1])).toArray()
        #expect(dx == [1, 2, 3, -1, 0, 1])
        #expect(d.weight.grad.toArray() == [1, 1, 1, 2, 0, -1])
        #expect(d.bias.grad.toArray() == [1, 1])
    }

    @Test func gradientsMatchFiniteDifferences() {
        let d = Dense(name: "fc", inFeatures: 7, outFeatures: 5, rng: SeededRandom(seed: 2))
        let r = gradCheck(d, input: randomTensor([3, 7], seed: 71))
        #expect(r.worst < 1e-3, "max relative error \(r)")
    }
}

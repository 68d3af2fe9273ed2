import Testing
@testable import FERNet

@Suite struct GlobalAvgPoolTests {
    @Test func meanOfEachPlane() {
        let g = GlobalAvgPool()
        let x = Tensor(shape: [1, 2, 4, 4], values: (1...16).map(Float.init) + [Float](repeating: -2, count: 16))
        let y = g.forward(x, training: true)
        #expect(y.shape == [1, 2])
        #expect(y.toArray() == [8.5, -2])
        #expect(g.backward(Tensor(shape: [1, 2], values: [16, 32])).toArray() == [Float](repeating: 1, count: 16) + [Float](repeating: 2, count: 16))
    }

    @Test func gradientsMatchFiniteDifferences() {
        let r = gradCheck(GlobalAvgPool(), input: randomTensor([2, 3, 3, 3], seed: 61))
        #expect(r.worst < 1e-3, "max relative error \(r)")
    }
}

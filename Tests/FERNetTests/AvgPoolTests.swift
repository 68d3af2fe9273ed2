import Testing
@testable import FERNet

@Suite struct AvgPoolTests {
    @Test func twoByTwoMeansAndEvenGradient() {
        let p = AvgPool(kernel: 2, stride: 2)
        let x = Tensor(shape: [1, 1, 4, 4], values: (1...16).map(Float.init))
        #expect(p.forward(x, training: true).toArray() == [3.5, 5.5, 11.5, 13.5])
        let dx = p.backward(Tensor(shape: [1, 1, 2, 2], values: [4, 8, 12, 16])).toArray()
        #expect(dx == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    @Test func gradientsMatchFiniteDifferences() {
        let r = gradCheck(AvgPool(kernel: 3, stride: 2), input: randomTensor([2, 2, 5, 5], seed: 51))
        #expect(r.worst < 1e-3, "max relative error \(r)")
    }
}

import Testing
@testable import FERNet

@Suite struct ReLUTests {
    @Test func clampsNegativesAndGatesGradient() {
        let r = ReLU()
        let y = r.forward(Tensor(shape: [1, 1, 2, 2], values: [-1, 2, 0, 3]), training: true)
        #expect(y.toArray() == [0, 2, 0, 3])
        #expect(r.backward(Tensor(shape: [1, 1, 2, 2], values: [5, 6, 7, 8])).toArray() == [0, 6, 0, 8])
    }

    @Test func gradientsMatchFiniteDifferencesAwayFromZero() {
        // Values at least 0.1 from the kink, step 1e-2.
        let x = randomTensor([2, 2, 3, 3], seed: 31)
        x.assign(x.toArray().map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 })
        let r = gradCheck(ReLU(), input: x)
        #expect(r.worst < 1e-3, "max relative error \(r)")
    }
}

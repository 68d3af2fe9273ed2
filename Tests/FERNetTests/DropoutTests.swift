import Testing
@testable import FERNet

@Suite struct DropoutTests {
    @Test func inferenceIsIdentity() {
        let d = Dropout(rate: 0.5, rng: SeededRandom(seed: 1))
        let x = randomTensor([4, 8], seed: 2)
        #expect(d.forward(x, training: false).toArray() == x.toArray())
    }

    @Test func trainingZeroesAboutRateAndScalesTheRest() {
        let d = Dropout(rate: 0.25, rng: SeededRandom(seed: 3))
        let x = Tensor(shape: [100, 100], values: [Float](repeating: 1, count: 10_000))
        let y = d.forward(x, training: true).toArray()
        let zeros = y.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.25) < 0.02)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
    }

    @Test func backwardUsesTheSameMask() {
        let d = Dropout(rate: 0.5, rng: SeededRandom(seed: 4))
        let x = Tensor(shape: [2, 50], values: [Float](repeating: 1, count: 100))
        let y = d.forward(x, training: true).toArray()
        let dy = randomTensor([2, 50], seed: 5)
        let dx = d.backward(dy).toArray()
        for (i, g) in dy.toArray().enumerated() { #expect(dx[i] == g * y[i]) }  // y[i] is the mask value (x = 1)
    }

    @Test func sameSeedSameMask() {
        let x = Tensor(shape: [1, 64], values: [Float](repeating: 1, count: 64))
        let a = Dropout(rate: 0.5, rng: SeededRandom(seed: 9)).forward(x, training: true).toArray()
        let b = Dropout(rate: 0.5, rng: SeededRandom(seed: 9)).forward(x, training: true).toArray()
        #expect(a == b)
    }
}

import Testing
@testable import FERNet

@Suite struct Conv2DTests {
    let x4x4 = Tensor(shape: [1, 1, 4, 4], values: (1...16).map(Float.init))

    private func conv(_ cin: Int, _ cout: Int, k: Int, s: Int = 1, p: Int = 0, seed: UInt64 = 1) -> Conv2D {
        Conv2D(name: "c", inChannels: cin, outChannels: cout, kernel: k, stride: s, padding: p, rng: SeededRandom(seed: seed))
    }

    @Test func onesKernelPaddedSumsEachNeighbourhood() {
        let c = conv(1, 1, k: 3, p: 1)
        c.weight.value.assign([Float](repeating: 1, count: 9))
        c.bias.value.assign([0.5])
        let y = c.forward(x4x4, training: false)
        let sums: [Float] = [14, 24, 30, 22, 33, 54, 63, 45, 57, 90, 99, 69, 46, 72, 78, 54]
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y.toArray() == sums.map { $0 + 0.5 })
    }

    @Test func strideTwoKernelTwo() {
        let c = conv(1, 1, k: 2, s: 2)
        c.weight.value.assign([1, 2, 3, 4])
        let y = c.forward(x4x4, training: false)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.toArray() == [44, 64, 124, 144])
    }

    @Test func pointwiseMixesChannels() {
        // channel 0: 1...16, channel 1: all ones; y = 2*x0 - x1 + 1
        let x = Tensor(shape: [1, 2, 4, 4], values: (1...16).map(Float.init) + [Float](repeating: 1, count: 16))
        let c = conv(2, 1, k: 1)
        c.weight.value.assign([2, -1])
        c.bias.value.assign([1])
        #expect(c.forward(x, training: false).toArray() == (1...16).map { 2 * Float($0) })
    }

    @Test(arguments: [(3, 1, 1), (5, 1, 2), (3, 2, 1), (1, 1, 0), (2, 2, 0), (3, 1, 0)])
    func gradientsMatchFiniteDifferences(k: Int, s: Int, p: Int) {
        let c = conv(2, 3, k: k, s: s, p: p, seed: 5)
        let x = randomTensor([2, 2, 5, 5], seed: 11)
        let r = gradCheck(c, input: x)
        // Linear layer: differences are exact up to Float32 rounding.
        #expect(r.worst < 2e-3, "max relative error \(r)")
    }

    @Test func gradientsWithChannelMajorInputAndSeveralGroups() {
        // A channel-major input (another conv's output) and a tiny group size
        // (one sample per GEMM group) must give the same results.
        let first = conv(1, 2, k: 3, p: 1, seed: 3)
        let x = first.forward(randomTensor([3, 1, 5, 5], seed: 4), training: false).contiguous()
        let cm = Tensor.channelMajor(3, 2, 5, 5)
        cm.assign(x.toArray())
        let c = conv(2, 4, k: 3, p: 1, seed: 6)
        let whole = c.forward(x, training: false).toArray()
        c.groupBytes = 1
        #expect(maxAbsDifference(c.forward(cm, training: false).toArray(), whole) < 1e-5)
        let r = gradCheck(c, input: cm)
        #expect(r.worst < 2e-3, "max relative error \(r)")
    }

    @Test func firstLayerSkipsInputGradientButKeepsWeightGradient() {
        let c = conv(1, 2, k: 3, p: 1, seed: 8)
        c.computesInputGradient = false
        let r = gradCheck(c, input: randomTensor([2, 1, 4, 4], seed: 9), checkInput: false)
        #expect(r.worst < 2e-3, "max relative error \(r)")
    }
}

@Suite struct Conv2DWorkerTests {
    @Test(arguments: [(3, 1, 1), (1, 1, 0)])
    func twoWorkersGiveTheSameOutputAndGradients(k: Int, s: Int, p: Int) {
        func run(workers: Int) -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
            let c = Conv2D(name: "c", inChannels: 3, outChannels: 4, kernel: k, stride: s, padding: p, rng: SeededRandom(seed: 2))
            c.workers = workers
            c.groupBytes = 1  // one sample per group: several groups per worker
            let x = randomTensor([5, 3, 6, 6], seed: 3)
            let y = c.forward(x, training: true)
            let dx = c.backward(randomTensor(y.shape, seed: 4))
            return (y.toArray(), dx.toArray(), c.weight.grad.toArray(), c.bias.grad.toArray())
        }
        let one = run(workers: 1), two = run(workers: 2)
        #expect(maxAbsDifference(one.y, two.y) < 1e-5)
        #expect(maxAbsDifference(one.dx, two.dx) < 1e-5)
        #expect(maxAbsDifference(one.dw, two.dw) < 1e-4)
        #expect(maxAbsDifference(one.db, two.db) < 1e-5)
    }
}

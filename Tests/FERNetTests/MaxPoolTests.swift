import Testing
@testable import FERNet

@Suite struct MaxPoolTests {
    @Test func twoByTwoPoolingOfA4x4Input() {
        let p = MaxPool(kernel: 2, stride: 2)
        let x = Tensor(shape: [1, 1, 4, 4], values: [1, 5, 2, 0,
                                                     3, 4, 8, 1,
                                                     0, 0, 9, 9,
                                                     7, 0, 1, 2])
        #expect(p.forward(x, training: true).toArray() == [5, 8, 7, 9])
        // Gradient goes to the (first) maximum of each window.
        let dx = p.backward(Tensor(shape: [1, 1, 2, 2], values: [10, 20, 30, 40])).toArray()
        #expect(dx == [0, 10, 0, 0,
                       0, 0, 20, 0,
                       0, 0, 40, 0,
                       30, 0, 0, 0])
    }

    @Test func overlappingWindowsAndChannelMajorLayout() {
        let p = MaxPool(kernel: 3, stride: 1)
        let x = Tensor.channelMajor(2, 1, 4, 4)
        x.assign((0..<32).map { Float(($0 * 7) % 11) })
        let y = p.forward(x, training: false)
        #expect(y.isChannelMajor && y.shape == [2, 1, 2, 2])
        let v = x.toArray()
        for n in 0..<2 { for oy in 0..<2 { for ox in 0..<2 {
            var m = -Float.infinity
            for ky in 0..<3 { for kx in 0..<3 { m = max(m, v[n * 16 + (oy + ky) * 4 + ox + kx]) } }
            #expect(y[n, 0, oy, ox] == m)
        } } }
    }

    @Test func gradientsMatchFiniteDifferences() {
        // Distinct values (spaced 0.05 apart, step 1e-2) so no window has a tie.
        let count = 2 * 2 * 4 * 4
        var rng = SeededRandom(seed: 41)
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        let x = Tensor(shape: [2, 2, 4, 4], values: order.map { Float($0) * 0.05 })
        let r = gradCheck(MaxPool(kernel: 2, stride: 2), input: x)
        #expect(r.worst < 1e-3, "max relative error \(r)")
        let cm = Tensor.channelMajor(2, 2, 4, 4)
        cm.assign(x.toArray())
        let rc = gradCheck(MaxPool(kernel: 2, stride: 2), input: cm)
        #expect(rc.worst < 1e-3, "max relative error (channel-major) \(rc)")
    }
}

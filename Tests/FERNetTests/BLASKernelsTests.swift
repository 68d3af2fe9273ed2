import Testing
@testable import FERNet

@Suite struct BLASKernelsTests {
    @Test func selectedKernelsMultiplyOddShapesCorrectly() {
        // Odd sizes hit every edge of the micro-kernels; compare with a Double reference.
        let n = 37, inF = 53, outF = 29
        let d = Dense(name: "fc", inFeatures: inF, outFeatures: outF, rng: SeededRandom(seed: 1))
        #expect(!BLASKernels.selected.isEmpty)
        let x = randomTensor([n, inF], seed: 2)
        let y = d.forward(x, training: false).toArray()
        let xv = x.toArray(), wv = d.weight.value.toArray()
        var worst: Double = 0
        for i in 0..<n {
            for o in 0..<outF {
                var s: Double = 0
                for k in 0..<inF { s += Double(xv[i * inF + k]) * Double(wv[o * inF + k]) }
                worst = max(worst, abs(s - Double(y[i * outF + o])))
            }
        }
        #expect(worst < 1e-4, "kernels \(BLASKernels.selected): max difference \(worst)")
    }
}

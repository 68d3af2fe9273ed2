import Testing
@testable import FERNet

@Suite struct WinogradTransformsTests {
    /// Runs Winograd.convolve on `count` samples of a random batch, with the C (AVX-512) or
    /// the Swift transforms, and returns the output (Cout, N, H, W).
    static func convolve(_ l: Winograd.Layout, batch n: Int, first: Int, count: Int, relu: Bool, vector: Bool,
                         bandRows: Int? = nil) -> [Float] {
        let rng = SeededRandom(seed: UInt64(l.h * 100 + l.w))
        let x = (0..<(l.cin * n * l.h * l.w)).map { _ in rng.uniform(1) }            // (Cin, N, H, W)
        let w = (0..<(l.cout * l.cin * 9)).map { _ in rng.uniform(0.5) }              // (Cout, Cin, 3, 3)
        let bias = (0..<l.cout).map { _ in rng.uniform(0.3) }                         // (Cout)
        let u = Winograd.transformWeights(w, cout: l.cout, cin: l.cin)                // (16, Cout, Cin)
        var y = [Float](repeating: -7, count: l.cout * n * l.h * l.w)                 // (Cout, N, H, W)
        var scratch = [Float](repeating: 0, count: l.scratch(samples: count))
        x.withUnsafeBufferPointer { xb in u.withUnsafeBufferPointer { ub in bias.withUnsafeBufferPointer { bb in
            y.withUnsafeMutableBufferPointer { yb in scratch.withUnsafeMutableBufferPointer { sb in
                Winograd.convolve(l, x: xb.baseAddress!, y: yb.baseAddress!, batch: n, first: first, count: count,
                                  u: ub.baseAddress!, bias: bb.baseAddress!, relu: relu, scratch: sb.baseAddress!,
                                  vectorTransforms: vector, bandRows: bandRows)
            } }
        } } }
        return y
    }

    @Test(.enabled(if: Winograd.vectorTransformsAvailable, "needs AVX-512"),
          arguments: [(1, 1), (2, 3), (5, 7), (6, 6), (12, 12), (9, 33), (40, 35), (48, 48)])
    func vectorTransformsMatchTheSwiftOnes(h: Int, w: Int) {
        let l = Winograd.Layout(cin: 3, cout: 4, h: h, w: w)
        for relu in [false, true] {
            let a = Self.convolve(l, batch: 3, first: 1, count: 2, relu: relu, vector: true)
            let b = Self.convolve(l, batch: 3, first: 1, count: 2, relu: relu, vector: false)
            // Same values where the samples were written, untouched (-7) elsewhere in both.
            #expect(maxAbsDifference(a, b) < 1e-5, "\(h)x\(w) relu \(relu): max difference \(maxAbsDifference(a, b))")
            #expect(a.filter { $0 == -7 }.count == 4 * h * w, "\(h)x\(w): sample 0 must stay untouched")
        }
    }

    @Test(.enabled(if: Winograd.vectorTransformsAvailable, "needs AVX-512"),
          arguments: [(1, 1), (2, 5), (3, 2), (7, 7), (24, 24)])
    func bandsOfTileRowsGiveTheWholePlane(bandRows: Int, size: Int) {
        // The AVX-512 path in bands of 1, 2, 3, 7 tile rows (uneven last band, bands past
        // the plane) equals the Swift transforms over the whole plane.
        let l = Winograd.Layout(cin: 3, cout: 4, h: size, w: size + 3)
        let a = Self.convolve(l, batch: 3, first: 1, count: 2, relu: true, vector: true, bandRows: bandRows)
        let b = Self.convolve(l, batch: 3, first: 1, count: 2, relu: true, vector: false)
        #expect(maxAbsDifference(a, b) < 1e-5, "bands of \(bandRows) on \(size)x\(size + 3): max difference \(maxAbsDifference(a, b))")
    }

    @Test func bandsKeepTheirTilesWithinTheBudget() {
        let l = Winograd.Layout(cin: 32, cout: 32, h: 48, w: 48)   // fer-vgg's conv2: 24x24 tiles
        let rows = l.bandRows(samples: 1, bandBytes: 512 << 10)
        #expect(rows == 5, "24 tile rows of 96 KiB: 5 bands of 5, 5, 5, 5, 4 rows (480 KiB at most)")
        #expect(64 * (l.cin + l.cout) * l.tilesX * rows <= 512 << 10)
        #expect(l.bandRows(samples: 1, bandBytes: 1 << 30) == l.tilesY)   // a large budget: one band
        #expect(Winograd.Layout(cin: 512, cout: 512, h: 8, w: 8).bandRows(samples: 4, bandBytes: 1) == 1)
    }
}

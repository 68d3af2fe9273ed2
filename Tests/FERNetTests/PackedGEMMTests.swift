import Testing
@testable import FERNet

@Suite struct PackedGEMMTests {
    /// Every kernel this CPU can run (the AVX ones only where supported).
    static var paths: [PackedGEMMPath] {
        let best = PackedGEMMPath.best
        return [.scalar, .avx2, .avx512].filter { p in
            switch p {
            case .scalar: return true
            case .avx2: return best == .avx2 || best == .avx512
            case .avx512: return best == .avx512
            case .auto: return false
            }
        }
    }

    static func values(_ count: Int, seed: UInt64) -> [Float] {
        let rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in rng.uniform(1) }
    }

    /// Double-precision C = A x B + bias, then ReLU, over the (m, n) window of strided buffers.
    static func reference(m: Int, n: Int, k: Int, a: [Float], lda: Int, b: [Float], ldb: Int,
                          bias: [Float]?, relu: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = Double(bias?[i] ?? 0)
                for p in 0..<k { s += Double(a[i * lda + p]) * Double(b[p * ldb + j]) }
                c[i * n + j] = relu ? max(0, s) : s
            }
        }
        return c
    }

    /// Runs one product with padded strides and checks the window and the untouched padding.
    static func check(m: Int, n: Int, k: Int, bias: Bool, relu: Bool, path: PackedGEMMPath, seed: UInt64) {
        for wide in [false, true] { check(m: m, n: n, k: k, bias: bias, relu: relu, path: path, wide: wide, seed: seed) }
    }

    static func check(m: Int, n: Int, k: Int, bias: Bool, relu: Bool, path: PackedGEMMPath, wide: Bool, seed: UInt64) {
        let lda = k + 3, ldb = n + 5, ldc = n + 7
        let a = values(m * lda, seed: seed), b = values(k * ldb, seed: seed + 1)   // (m, lda), (k, ldb)
        let biasValues = bias ? values(m, seed: seed + 2) : nil                      // (m)
        let sentinel: Float = 12345
        var c = [Float](repeating: sentinel, count: m * ldc)                          // (m, ldc)
        let packed = a.withUnsafeBufferPointer { PackedMatrix($0.baseAddress!, rows: m, columns: k, lda: lda, wide: wide) }
        let used = b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { cb in
            if let biasValues {
                return biasValues.withUnsafeBufferPointer {
                    packed.multiply(bb.baseAddress!, ldb: ldb, n: n, into: cb.baseAddress!, ldc: ldc, bias: $0.baseAddress!, relu: relu, path: path)
                }
            }
            return packed.multiply(bb.baseAddress!, ldb: ldb, n: n, into: cb.baseAddress!, ldc: ldc, bias: nil, relu: relu, path: path)
        } }
        #expect(used == path, "asked for \(path), ran \(used)")
        let want = reference(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, bias: biasValues, relu: relu)
        var worst = 0.0, paddingKept = true
        for i in 0..<m {
            for j in 0..<ldc {
                if j < n { worst = max(worst, abs(Double(c[i * ldc + j]) - want[i * n + j])) }
                else if c[i * ldc + j] != sentinel { paddingKept = false }
            }
        }
        let tolerance = 1e-5 * Double(k).squareRoot() * 4
        #expect(worst < tolerance, "\(path) wide \(wide) m \(m) n \(n) k \(k) bias \(bias) relu \(relu): max error \(worst)")
        #expect(paddingKept, "\(path) wide \(wide) m \(m) n \(n) k \(k): wrote past column \(n)")
    }

    @Test(arguments: paths)
    func columnTailsOneToFortyNine(path: PackedGEMMPath) {
        for n in 1...49 { Self.check(m: 11, n: n, k: 7, bias: true, relu: false, path: path, seed: UInt64(n)) }
    }

    @Test(arguments: paths)
    func oddRowsAndDepths(path: PackedGEMMPath) {
        for (m, k) in [(1, 1), (7, 3), (9, 33), (13, 64), (17, 127), (33, 5), (70, 9)] {
            Self.check(m: m, n: 37, k: k, bias: true, relu: true, path: path, seed: UInt64(m * 100 + k))
        }
    }

    @Test(arguments: paths)
    func convShapesWithBiasAndReLU(path: PackedGEMMPath) {
        // Shapes of fer-vgg at batch 1 (trimmed in K), and a wide one past one column chunk.
        for (m, n, k) in [(32, 2304, 9), (64, 144, 64), (24, 36, 300), (8, 3000, 50)] {
            Self.check(m: m, n: n, k: k, bias: true, relu: true, path: path, seed: UInt64(m + n + k))
        }
    }

    @Test(arguments: paths)
    func withoutBiasReLUZeroesNegatives(path: PackedGEMMPath) {
        Self.check(m: 10, n: 20, k: 5, bias: false, relu: true, path: path, seed: 77)
        Self.check(m: 10, n: 20, k: 5, bias: false, relu: false, path: path, seed: 78)
    }

    @Test func autoRunsTheBestPath() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, 0, 0, 1]   // (2, 2) each
        var c = [Float](repeating: 0, count: 4)                    // (2, 2)
        let used = b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { cb in
            PackedMatrix(a, rows: 2, columns: 2).multiply(bb.baseAddress!, ldb: 2, n: 2, into: cb.baseAddress!, ldc: 2, bias: nil, relu: false)
        } }
        #expect(used == PackedGEMMPath.best)
        #expect(c == a)
    }

    @Test func engineWithPackedConvsMatchesOpenBLASConvs() throws {
        let net = try InferenceEngineTests.trainedLike(try Architectures.spec(named: "fer-vgg"), seed: 8)
        let packed = try InferenceEngine(network: net, maxBatch: 2)
        let blas = try InferenceEngine(network: net, maxBatch: 2, packedConvGEMM: false)
        let x = randomTensor([2, 1, 48, 48], seed: 21)
        var p = [Float](repeating: 0, count: 14), q = [Float](repeating: 0, count: 14)
        packed.logits(input: x.data, count: 2, output: &p)
        blas.logits(input: x.data, count: 2, output: &q)
        let diff = maxAbsDifference(p, q)
        #expect(diff < 1e-4, "packed vs OpenBLAS logits differ by \(diff)")
        #expect(p.contains { $0 != 0 })
    }
}

// PackedMatrix: a weight matrix (M, K) packed once for cgemm, and the product
// C (M, N) = A x B (K, N) + bias[m] (+ ReLU) on it, for the inference engine's
// convs. It allocates only when built; a product allocates nothing. Training and
// dense layers stay on OpenBLAS; this is not a general GEMM.

import CGEMM

/// Which cgemm kernel runs: `.auto` is the best the CPU supports; the others are for tests.
public enum PackedGEMMPath: Sendable, CaseIterable {
    case auto, scalar, avx2, avx512

    var c: cgemm_path {
        switch self {
        case .auto: return CGEMM_PATH_AUTO
        case .scalar: return CGEMM_PATH_SCALAR
        case .avx2: return CGEMM_PATH_AVX2
        case .avx512: return CGEMM_PATH_AVX512
        }
    }

    init(_ p: cgemm_path) {
        switch p {
        case CGEMM_PATH_AVX512: self = .avx512
        case CGEMM_PATH_AVX2: self = .avx2
        default: self = .scalar
        }
    }

    /// The fastest kernel this CPU runs.
    public static var best: PackedGEMMPath { PackedGEMMPath(cgemm_best_path()) }
}

/// A (rows, columns) row-major matrix in cgemm's packed panels.
public final class PackedMatrix {
    public let rows: Int, columns: Int
    /// Rows per panel: 8 (narrow), or 32 (wide: AVX-512 vectorises along rows; best for few
    /// columns of B, e.g. 36, with deep K).
    public let panel: Int
    private let storage: TensorStorage  // cgemm_packed_count floats: panels of `panel` rows, each (columns, panel)

    /// Packs `a` (rows, columns), row stride `lda` (default `columns`).
    public init(_ a: UnsafePointer<Float>, rows: Int, columns: Int, lda: Int? = nil, wide: Bool = false) {
        precondition(rows >= 1 && columns >= 1, "packed matrix: shape (\(rows), \(columns)) must be positive")
        self.rows = rows
        self.columns = columns
        panel = Int(wide ? CGEMM_PANEL_WIDE : CGEMM_PANEL_NARROW)
        storage = TensorStorage(count: cgemm_packed_count(Int32(rows), Int32(columns), Int32(panel)))
        cgemm_pack(Int32(rows), Int32(columns), a, Int32(lda ?? columns), Int32(panel), storage.pointer)
    }

    public convenience init(_ a: [Float], rows: Int, columns: Int, wide: Bool = false) {
        precondition(a.count == rows * columns, "packed matrix: \(a.count) values for shape (\(rows), \(columns))")
        self.init(a.withUnsafeBufferPointer { $0.baseAddress! }, rows: rows, columns: columns, wide: wide)
    }

    /// The panel layout measured faster here for a product with `n` columns of B per
    /// sample: wide for deep K and few columns (the last convs of a CNN), else narrow.
    public static func prefersWide(columnsPerSample n: Int, depth k: Int) -> Bool { n < 48 && k >= 256 }

    /// c (rows, n; row stride ldc) = self x b (columns, n; row stride ldb) + bias[row]
    /// (none when nil), then max(0, .) if `relu`. Returns the kernel that ran.
    @discardableResult
    public func multiply(_ b: UnsafePointer<Float>, ldb: Int, n: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                         bias: UnsafePointer<Float>?, relu: Bool, path: PackedGEMMPath = .auto) -> PackedGEMMPath {
        PackedGEMMPath(cgemm_sgemm_packed(path.c, Int32(rows), Int32(n), Int32(columns), storage.pointer, Int32(panel),
                                          b, Int32(ldb), c, Int32(ldc), bias, relu ? 1 : 0))
    }
}

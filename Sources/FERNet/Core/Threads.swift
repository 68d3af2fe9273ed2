// Threads: how many cores the engine's math uses. OpenBLAS runs its own
// threads inside each GEMM (one process-wide setting); elementwise work and
// im2col are split with Parallel.forEach. Nothing here is global state of ours:
// the OpenBLAS setting lives in the library, the split width is passed in.

import CBLAS
import Dispatch

public enum Threads {
    /// Sets OpenBLAS's thread count for all later GEMMs in this process.
    public static func setBLAS(_ n: Int) {
        precondition(n >= 1, "BLAS thread count \(n) must be at least 1")
        _ = BLASKernels.selected
        openblas_set_num_threads(Int32(n))
    }

    /// OpenBLAS's current thread count.
    public static var blas: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's core (kernel set) in use, e.g. "SkylakeX" (see BLASKernels).
    public static var blasCoreName: String { BLASKernels.selected }
}

enum Parallel {
    /// Runs body(0..<count) split into `workers` contiguous ranges, in parallel when workers > 1.
    @inline(__always)
    static func forRanges(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
        let w = min(workers, count)
        if w <= 1 { if count > 0 { body(0..<count) }; return }
        // The ranges are disjoint; callers write disjoint memory from each range.
        withoutActuallyEscaping(body) { escaping in
            nonisolated(unsafe) let work = escaping
            DispatchQueue.concurrentPerform(iterations: w) { i in
                let lo = count * i / w, hi = count * (i + 1) / w
                if lo < hi { work(lo..<hi) }
            }
        }
    }
}

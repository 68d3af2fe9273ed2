// InferenceEngine: the fast path for classifying faces. Built once from a
// trained Network (batch norm folded into the conv/dense before it, ReLU
// fused, dropout removed), with every buffer allocated up front for `maxBatch`
// inputs, so a call allocates nothing. Activations are channel-major
// ((C, N, H, W) in memory); each conv is im2col + one GEMM per sample group.
// Not thread-safe: use one engine per thread. Threads inside GEMMs follow
// OpenBLAS's setting (one thread for single faces: Threads.setBLAS(1)).

import CBLAS

public enum InferenceEngineError: Error, Equatable, CustomStringConvertible {
    case unsupportedNetwork(String)
    case invalidBatch(Int, max: Int)

    public var description: String {
        switch self {
        case .unsupportedNetwork(let m): return m
        case .invalidBatch(let n, let max): return "inference engine: batch \(n) is outside 1...\(max) (raise maxBatch)"
        }
    }
}

public final class InferenceEngine {
    /// Input shape per face, (C, H, W), e.g. (1, 48, 48).
    public let inputShape: [Int]
    public let classCount: Int
    public let maxBatch: Int
    /// Multiply-adds per input (convs and dense layers), for GFLOP/s figures.
    public let multiplyAddsPerInput: Int

    private let steps: [InferenceStep]
    private let bufferA: TensorStorage, bufferB: TensorStorage  // ping-pong activations, maxBatch * largest activation
    private let col: TensorStorage                              // im2col scratch of one sample group
    private let padded: TensorStorage                           // (Cin, Hp, Wp) zero-padded planes of one sample
    private let gathers: [PaddedGather?]                        // per step: gather tables for small-plane convs
    private let packedWeights: [PackedMatrix?]                  // per conv step: weight (Cout, Cin*k*k) packed for cgemm
    private let packedWinograd: [[PackedMatrix]?]               // per Winograd step: 16 x U[k] (Cout, Cin) packed for cgemm
    /// Convs whose output planes have at most this many positions gather im2col from padded planes.
    static let gatherMaximumPositions = 256
    /// Input channels from which Winograd beats the packed direct conv: 32 with the AVX-512
    /// transforms (fer-vgg batch 1 here: 32->32 @48x48 0.29 -> 0.23 ms), else 64.
    public static let defaultWinogradMinimumChannels = Winograd.vectorTransformsAvailable ? 32 : 64
    /// Plane size from which Winograd beats the direct conv: 6 when its 16 GEMMs run on
    /// cgemm's AVX-512 kernels with weights packed once (fer-vgg batch 1 here: 256->256 @6x6
    /// 0.47 -> 0.25 ms, whole net 2.7 -> 2.2 ms), else 12 (OpenBLAS repacks U[k] on every
    /// call, which costs more than Winograd saves on 6x6 planes).
    public static let defaultWinogradMinimumSize = PackedGEMMPath.best == .avx512 ? 6 : 12
    /// Stands in for a weight kept only packed (conv and Winograd read their PackedMatrix then).
    private static let unreadWeights: [Float] = [0]
    /// Default upper bound of one GEMM's im2col buffer (see `init`'s `groupBytes`).
    public static let defaultGroupBytes = 4 << 20
    private let groupBytes: Int

    /// - Parameters:
    ///   - network: a trained network (its running statistics are used); later changes to it do not reach the engine.
    ///   - maxBatch: the most inputs one call may take.
    ///   - groupBytes: upper bound of the im2col buffer of one GEMM (samples per GEMM follow from it).
    ///   - winogradMinimumSize, winogradMinimumChannels: 3x3 stride-1 pad-1 convs on inputs at
    ///     least this high and wide, with at least this many input channels, use Winograd
    ///     F(2x2, 3x3); `Int.max` turns it off. The defaults are where it measured faster here
    ///     (see `defaultWinogradMinimumSize` and `defaultWinogradMinimumChannels`).
    ///   - packedConvGEMM: convs and Winograd's 16 GEMMs multiply with weights packed once
    ///     for cgemm (bias and ReLU fused into the direct convs); false uses OpenBLAS's sgemm.
    ///     Default: where cgemm has its AVX-512 kernels (its AVX2 one is no match for OpenBLAS's).
    ///   - sharing: an engine that never runs at the same time as this one (another member of
    ///     an ensemble): its activation and im2col/Winograd buffers are reused where large
    ///     enough, so the members' calls touch the same, cache-warm scratch memory.
    public init(network: Network, maxBatch: Int = 32, groupBytes: Int = InferenceEngine.defaultGroupBytes,
                winogradMinimumSize: Int = InferenceEngine.defaultWinogradMinimumSize, winogradMinimumChannels: Int = InferenceEngine.defaultWinogradMinimumChannels,
                packedConvGEMM: Bool = PackedGEMMPath.best == .avx512, sharing: InferenceEngine? = nil) throws(InferenceEngineError) {
        guard maxBatch >= 1 else { throw .invalidBatch(maxBatch, max: maxBatch) }
        _ = BLASKernels.selected
        let planned: [InferenceStep]
        do {
            planned = InferenceStep.useWinograd(try InferenceStep.plan(network), minimumSize: winogradMinimumSize,
                                                minimumChannels: winogradMinimumChannels)
        }
        catch { throw .unsupportedNetwork(error.description) }
        inputShape = network.spec.input
        classCount = network.classCount
        self.maxBatch = maxBatch
        self.groupBytes = groupBytes
        // Sizes: largest activation per sample, largest col buffer of a group.
        var largest = inputShape.reduce(1, *), colSize = 1, macs = 0
        var shape = inputShape
        for s in planned {
            switch s {
            case .conv(let g, let cout, _, _, _):
                let hw = g.ho * g.wo
                let group = max(1, min(maxBatch, groupBytes / max(1, g.rows * hw * 4)))
                colSize = max(colSize, g.rows * hw * group)
                macs += cout * hw * g.rows
                shape = [cout, g.ho, g.wo]
            case .winograd(let l, _, _, _):
                colSize = max(colSize, l.scratch(samples: InferenceEngine.winogradGroup(l, batch: maxBatch, groupBytes: groupBytes)))
                macs += l.cout * l.h * l.w * l.cin * 9  // counted as the direct conv it replaces
                shape = [l.cout, l.h, l.w]
            case .dense(let i, let o, _, _, _):
                macs += i * o
                shape = [o]
            case .maxPool(let k, let st), .avgPool(let k, let st):
                shape = [shape[0], (shape[1] - k) / st + 1, (shape[2] - k) / st + 1]
            case .globalAvgPool: shape = [shape[0]]
            case .flatten: shape = [shape.reduce(1, *)]
            case .scaleShift, .relu: break
            }
            largest = max(largest, shape.reduce(1, *))
        }
        multiplyAddsPerInput = macs
        var paddedSize = 1
        gathers = planned.map { step in
            guard case .conv(let g, _, _, _, _) = step, g.kernel > 1, g.ho * g.wo <= InferenceEngine.gatherMaximumPositions else { return nil }
            let gather = PaddedGather(g)
            paddedSize = max(paddedSize, g.cin * gather.paddedPlane)
            return gather
        }
        padded = TensorStorage(count: paddedSize)
        let packedW: [PackedMatrix?] = planned.map { step in
            guard packedConvGEMM, case .conv(let g, let cout, let w, _, _) = step else { return nil }
            return PackedMatrix(w, rows: cout, columns: g.rows,
                                wide: PackedMatrix.prefersWide(columnsPerSample: g.ho * g.wo, depth: g.rows))
        }
        let packedU: [[PackedMatrix]?] = planned.map { step in
            guard packedConvGEMM, case .winograd(let l, let u, _, _) = step else { return nil }
            return u.withUnsafeBufferPointer { ub in
                (0..<16).map { PackedMatrix(ub.baseAddress! + $0 * l.cout * l.cin, rows: l.cout, columns: l.cin, wide: l.prefersWidePanels) }
            }
        }
        // A weight packed for cgemm is only read packed: the plain copy goes (half the weights'
        // memory), replaced by a one-float placeholder that is never read.
        packedWeights = packedW
        packedWinograd = packedU
        steps = planned.enumerated().map { i, step in
            switch step {
            case .conv(let g, let cout, _, let bias, let relu) where packedW[i] != nil:
                return .conv(geometry: g, cout: cout, weight: InferenceEngine.unreadWeights, bias: bias, relu: relu)
            case .winograd(let l, _, let bias, let relu) where packedU[i] != nil:
                return .winograd(layout: l, u: InferenceEngine.unreadWeights, bias: bias, relu: relu)
            default:
                return step
            }
        }
        func reuse(_ shared: TensorStorage?, _ count: Int) -> TensorStorage {
            if let shared, shared.count >= count { return shared }
            return TensorStorage(count: count)
        }
        bufferA = reuse(sharing?.bufferA, largest * maxBatch)
        bufferB = reuse(sharing?.bufferB, largest * maxBatch)
        col = reuse(sharing?.col, colSize)
    }

    /// Convenience: builds the engine and runs one warm-up call.
    public convenience init(warmedUp network: Network, maxBatch: Int = 32) throws(InferenceEngineError) {
        try self.init(network: network, maxBatch: maxBatch)
        let x = [Float](repeating: 0, count: inputShape.reduce(1, *) * maxBatch)
        var p = [Float](repeating: 0, count: classCount * maxBatch)
        x.withUnsafeBufferPointer { xb in p.withUnsafeMutableBufferPointer { pb in
            probabilities(input: xb.baseAddress!, count: maxBatch, output: pb.baseAddress!)
        } }
    }

    /// Class probabilities (N, classes) for `count` inputs (N, C, H, W), row-major.
    public func probabilities(input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
        logits(input: input, count: count, output: output)
        softmaxRows(UnsafePointer(output), n: count, k: classCount, into: output)
    }

    /// Per-sample activation shape without arrays (no allocation in the hot path).
    private struct Shape {
        var c: Int, h: Int, w: Int
        var flat: Bool
        var hw: Int { h * w }
        var count: Int { flat ? c : c * h * w }
    }

    /// Probabilities (N, classes) for a batch tensor (N, C, H, W), N <= maxBatch, in a new
    /// tensor: a convenience for evaluation code (the pointer form allocates nothing).
    public func probabilities(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && Array(x.shape.dropFirst()) == inputShape, "inference engine: input \(x.shape) must be (N, \(inputShape.map(String.init).joined(separator: ", ")))")
        let input = x.isContiguous ? x : x.contiguous()
        let out = Tensor(shape: [x.shape[0], classCount])
        probabilities(input: input.data, count: x.shape[0], output: out.data)
        return out
    }

    /// Logits (N, classes) for `count` inputs (N, C, H, W), row-major.
    public func logits(input: UnsafePointer<Float>, count n: Int, output: UnsafeMutablePointer<Float>) {
        run(input: input, count: n, output: output, afterStep: nil)
    }

    /// CPU seconds of the calling thread spent in each step (name, seconds), summed over
    /// `repeats` calls at batch `count`: where the time goes, for the benchmark (meaningful
    /// with one OpenBLAS thread).
    public func stepTimings(input: UnsafePointer<Float>, count: Int, repeats: Int) -> [(step: String, seconds: Double)] {
        var totals = [Double](repeating: 0, count: steps.count)
        var scratch = [Float](repeating: 0, count: count * classCount)
        for _ in 0..<repeats {
            var last = threadCPUSeconds()
            scratch.withUnsafeMutableBufferPointer { out in
                run(input: input, count: count, output: out.baseAddress!) { i in
                    let now = threadCPUSeconds()
                    totals[i] += now - last
                    last = now
                }
            }
        }
        return steps.enumerated().map { ($1.label, totals[$0]) }
    }

    private func run(input: UnsafePointer<Float>, count n: Int, output: UnsafeMutablePointer<Float>, afterStep: ((Int) -> Void)?) {
        precondition(n >= 1 && n <= maxBatch, InferenceEngineError.invalidBatch(n, max: maxBatch).description)
        let a = bufferA.pointer, b = bufferB.pointer
        var src = input
        var dst = a
        var shape = Shape(c: inputShape[0], h: inputShape[1], w: inputShape[2], flat: false)
        // The raw input is (N, C, H, W): channel-major already when C == 1; otherwise transpose once.
        if shape.c > 1 {
            let c = shape.c, hw = shape.hw
            for i in 0..<n { for ch in 0..<c { (dst + (ch * n + i) * hw).update(from: input + (i * c + ch) * hw, count: hw) } }
            src = UnsafePointer(dst)
            dst = b
        }
        for (index, step) in steps.enumerated() {
            switch step {
            case .conv(let g, let cout, let w, let bias, let relu):
                let gather = gathers[index], packed = packedWeights[index]
                w.withUnsafeBufferPointer { wb in bias.withUnsafeBufferPointer { bb in
                    conv(src, dst, n: n, g, cout: cout, wb.baseAddress!, bb.baseAddress!, relu: relu, gather: gather, packed: packed)
                } }
                shape = Shape(c: cout, h: g.ho, w: g.wo, flat: false)
            case .winograd(let l, let u, let bias, let relu):
                let group = InferenceEngine.winogradGroup(l, batch: n, groupBytes: groupBytes)
                var first = 0
                while first < n {
                    let count = min(group, n - first)
                    u.withUnsafeBufferPointer { ub in bias.withUnsafeBufferPointer { bb in
                        Winograd.convolve(l, x: src, y: dst, batch: n, first: first, count: count, u: ub.baseAddress!,
                                          bias: bb.baseAddress!, relu: relu, scratch: col.pointer,
                                          vectorTransforms: Winograd.vectorTransformsAvailable, packedU: packedWinograd[index])
                    } }
                    first += count
                }
                shape = Shape(c: l.cout, h: l.h, w: l.w, flat: false)
            case .dense(let inF, let outF, let w, let bias, let relu):
                w.withUnsafeBufferPointer { wb in bias.withUnsafeBufferPointer { bb in
                    dense(src, dst, n: n, inF: inF, outF: outF, wb.baseAddress!, bb.baseAddress!, relu: relu)
                } }
                shape = Shape(c: outF, h: 1, w: 1, flat: true)
            case .scaleShift(let scale, let shift, let relu):
                let c = shape.c
                if !shape.flat {
                    let per = n * shape.hw
                    for ch in 0..<c { Kernels.scaleShift(src + ch * per, dst + ch * per, per, scale: scale[ch], shift: shift[ch], relu: relu) }
                } else {
                    for i in 0..<n { for f in 0..<c { let v = src[i * c + f] * scale[f] + shift[f]; dst[i * c + f] = relu ? max(v, 0) : v } }
                }
            case .relu:
                Kernels.relu(src, dst, n * shape.count)
            case .maxPool(let k, let s):
                InferenceEngine.maxPool(src, dst, planes: shape.c * n, h: shape.h, w: shape.w, k: k, s: s)
                shape = Shape(c: shape.c, h: (shape.h - k) / s + 1, w: (shape.w - k) / s + 1, flat: false)
            case .avgPool(let k, let s):
                InferenceEngine.avgPool(src, dst, planes: shape.c * n, h: shape.h, w: shape.w, k: k, s: s)
                shape = Shape(c: shape.c, h: (shape.h - k) / s + 1, w: (shape.w - k) / s + 1, flat: false)
            case .globalAvgPool:
                let c = shape.c, hw = shape.hw, inv = 1 / Float(hw)
                for ch in 0..<c { for i in 0..<n { dst[i * c + ch] = Kernels.sum(src + (ch * n + i) * hw, hw) * inv } }
                shape = Shape(c: c, h: 1, w: 1, flat: true)
            case .flatten:
                // (C, N, HW) -> (N, C*HW)
                let c = shape.c, hw = shape.hw
                if n == 1 { dst.update(from: src, count: c * hw) } else {
                    for i in 0..<n { for ch in 0..<c { (dst + (i * c + ch) * hw).update(from: src + (ch * n + i) * hw, count: hw) } }
                }
                shape = Shape(c: c * hw, h: 1, w: 1, flat: true)
            }
            afterStep?(index)
            // The next step reads what this one wrote and writes the other buffer.
            src = UnsafePointer(dst)
            dst = dst == a ? b : a
        }
        output.update(from: src, count: n * classCount)
    }

    // MARK: - Steps

    /// Samples per Winograd pass so that its scratch stays near 2 * groupBytes.
    private static func winogradGroup(_ l: Winograd.Layout, batch: Int, groupBytes: Int) -> Int {
        max(1, min(batch, 2 * groupBytes / max(1, l.scratch(samples: 1) * 4)))
    }

    private func conv(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int, _ g: ConvGeometry, cout: Int,
                      _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, relu: Bool, gather: PaddedGather?, packed: PackedMatrix?) {
        let hw = g.ho * g.wo, ldy = n * hw, inHW = g.h * g.w, rows = g.rows
        let planeBase = UnsafeMutablePointer(mutating: x)
        if g.kernel == 1 && g.stride == 1 && g.padding == 0 {
            // (Cout, N*HW) = W (Cout, Cin) x X (Cin, N*HW)
            if let packed {
                packed.multiply(x, ldb: ldy, n: ldy, into: y, ldc: ldy, bias: b, relu: relu)
                return
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(ldy), Int32(g.cin),
                        1, w, Int32(g.cin), x, Int32(ldy), 0, y, Int32(ldy))
            for co in 0..<cout { Kernels.scaleShift(y + co * ldy, y + co * ldy, ldy, scale: 1, shift: b[co], relu: relu) }
            return
        }
        let group = max(1, min(n, groupBytes / max(1, rows * hw * 4)))
        let colp = col.pointer
        let same = g.isSameStrideOne
        var n0 = 0
        while n0 < n {
            let gs = min(group, n - n0), width = gs * hw
            for j in 0..<gs {
                let i = n0 + j
                if let gather {
                    gather.pad(plane: { UnsafePointer(planeBase + ($0 * n + i) * inHW) }, into: padded.pointer)
                    gather.gather(padded: padded.pointer, col: colp + j * hw, ldcol: width)
                } else if same {
                    im2colRowsSame(g, rows: 0..<rows, plane: { UnsafePointer(planeBase + ($0 * n + i) * inHW) }, col: colp + j * hw, ldcol: width)
                } else {
                    im2colRows(g, rows: 0..<rows, plane: { UnsafePointer(planeBase + ($0 * n + i) * inHW) }, col: colp + j * hw, ldcol: width)
                }
            }
            let out = y + n0 * hw  // (Cout, width) with row stride ldy
            if let packed {
                packed.multiply(colp, ldb: width, n: width, into: out, ldc: ldy, bias: b, relu: relu)
                n0 += gs
                continue
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(width), Int32(rows),
                        1, w, Int32(rows), colp, Int32(width), 0, out, Int32(ldy))
            for co in 0..<cout { Kernels.scaleShift(out + co * ldy, out + co * ldy, width, scale: 1, shift: b[co], relu: relu) }
            n0 += gs
        }
    }

    private func dense(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int, inF: Int, outF: Int,
                       _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, relu: Bool) {
        if n == 1 {
            y.update(from: b, count: outF)
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outF), Int32(inF), 1, w, Int32(inF), x, 1, 1, y, 1)
        } else {
            for i in 0..<n { (y + i * outF).update(from: b, count: outF) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(outF), Int32(inF),
                        1, x, Int32(inF), w, Int32(inF), 1, y, Int32(outF))
        }
        if relu { Kernels.relu(y, y, n * outF) }
    }

    static func maxPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, h: Int, w: Int, k: Int, s: Int) {
        let ho = (h - k) / s + 1, wo = (w - k) / s + 1
        for p in 0..<planes {
            let src = x + p * h * w, dst = y + p * ho * wo
            if k == 2 && s == 2 {
                for oy in 0..<ho {
                    let r0 = src + 2 * oy * w, r1 = r0 + w, o = dst + oy * wo
                    for ox in 0..<wo { o[ox] = max(max(r0[2 * ox], r0[2 * ox + 1]), max(r1[2 * ox], r1[2 * ox + 1])) }
                }
                continue
            }
            for oy in 0..<ho {
                for ox in 0..<wo {
                    var m = -Float.infinity
                    for ky in 0..<k { for kx in 0..<k { m = max(m, src[(oy * s + ky) * w + ox * s + kx]) } }
                    dst[oy * wo + ox] = m
                }
            }
        }
    }

    static func avgPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, h: Int, w: Int, k: Int, s: Int) {
        let ho = (h - k) / s + 1, wo = (w - k) / s + 1, inv = 1 / Float(k * k)
        for p in 0..<planes {
            let src = x + p * h * w, dst = y + p * ho * wo
            for oy in 0..<ho {
                for ox in 0..<wo {
                    var a: Float = 0
                    for ky in 0..<k { for kx in 0..<k { a += src[(oy * s + ky) * w + ox * s + kx] } }
                    dst[oy * wo + ox] = a * inv
                }
            }
        }
    }
}

extension InferenceStep {
    var label: String {
        switch self {
        case .conv(let g, let cout, _, _, let relu):
            return "conv \(g.cin)->\(cout) k\(g.kernel) s\(g.stride) p\(g.padding) @\(g.h)x\(g.w)\(relu ? " +relu" : "")"
        case .winograd(let l, _, _, let relu):
            return "winograd \(l.cin)->\(l.cout) k3 s1 p1 @\(l.h)x\(l.w)\(relu ? " +relu" : "")"
        case .dense(let i, let o, _, _, let relu): return "dense \(i)->\(o)\(relu ? " +relu" : "")"
        case .scaleShift(_, _, let relu): return "batchnorm\(relu ? " +relu" : "")"
        case .relu: return "relu"
        case .maxPool(let k, let s): return "maxpool \(k)/\(s)"
        case .avgPool(let k, let s): return "avgpool \(k)/\(s)"
        case .globalAvgPool: return "global avgpool"
        case .flatten: return "flatten"
        }
    }
}

func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

#if canImport(Glibc)
import Glibc
#endif

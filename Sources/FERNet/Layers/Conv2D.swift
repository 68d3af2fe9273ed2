// Conv2D: 2-D convolution over (N, Cin, H, W) with a square kernel, any stride
// and zero padding, plus a bias per output channel. Weight (Cout, Cin, k, k),
// bias (Cout), as in PyTorch/ONNX. The output is stored channel-major
// ((Cout, N, Ho, Wo) in memory), so a group of samples is one GEMM:
//   Y[:, group] (Cout, g*Ho*Wo) = W (Cout, Cin*k*k) x col (Cin*k*k, g*Ho*Wo).
// A 1x1 stride-1 unpadded conv multiplies the input planes directly (no im2col).
// Backward recomputes im2col per group (memory stays small) and reuses the
// col buffer for the input gradient.
//
// Threads: with `workers` > 1 and `splitsSamples`, each worker takes whole
// sample groups (its own im2col, GEMMs, col2im and weight-gradient copy), so
// OpenBLAS should run one thread (Threads.setBLAS(1)). Without splitsSamples
// the GEMMs run one after another and OpenBLAS may thread inside each.

import CBLAS

public final class Conv2D: Layer {
    public let name: String
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter  // (Cout, Cin, k, k)
    public let bias: Parameter    // (Cout)
    public var workers = 1
    /// Workers split the batch into sample groups (true) or share each GEMM through OpenBLAS (false).
    public var splitsSamples = true
    /// False for the first layer: its input gradient is never needed.
    public var computesInputGradient = true
    /// Upper bound for the im2col buffer of one sample group, in bytes.
    public var groupBytes = 1 << 20

    private var input: Tensor?
    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer()
    private var colBuffers: [Buffer] = []   // one (rows, group*Ho*Wo) scratch per worker
    private var dwBuffers: [Buffer] = []    // (Cout, rows) weight-gradient partial sums of workers 1...

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, rng: SeededRandom) {
        _ = BLASKernels.selected  // before this layer's first GEMM
        self.name = name
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernel = kernel; self.stride = stride; self.padding = padding
        weight = Parameter(name: "\(name).weight", shape: [outChannels, inChannels, kernel, kernel], decays: true)
        bias = Parameter(name: "\(name).bias", shape: [outChannels], decays: false)
        // He (Kaiming) uniform for ReLU networks: U(-sqrt(6/fanIn), sqrt(6/fanIn)); bias 0.
        let bound = (6 / Float(inChannels * kernel * kernel)).squareRoot()
        let w = weight.value.data
        for i in 0..<weight.count { w[i] = rng.uniform(bound) }
    }

    public var parameters: [Parameter] { [weight, bias] }

    private var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }

    private func geometry(_ x: Tensor) -> ConvGeometry {
        precondition(x.rank == 4 && x.shape[1] == inChannels, "\(name): expected (N, \(inChannels), H, W), got \(x.shape)")
        return ConvGeometry(cin: inChannels, h: x.shape[2], w: x.shape[3], kernel: kernel, stride: stride, padding: padding)
    }

    /// How the batch is cut: each worker owns a contiguous, equal share of the
    /// samples and walks it in groups of at most `group` samples.
    private struct Plan {
        let group: Int, workers: Int, batch: Int
        func share(_ w: Int) -> Range<Int> { (batch * w / workers)..<(batch * (w + 1) / workers) }
    }

    private func plan(_ g: ConvGeometry, batch: Int) -> Plan {
        let perSample = g.rows * g.ho * g.wo * MemoryLayout<Float>.stride
        let w = splitsSamples ? max(1, min(workers, batch)) : 1
        let share = (batch + w - 1) / w
        let group = isPointwise ? 1 : max(1, min(share, groupBytes / max(perSample, 1)))
        return Plan(group: group, workers: w, batch: batch)
    }

    /// Runs body(worker, samples) for every group of every worker's share, workers in parallel.
    private func forEachGroup(_ p: Plan, _ body: (Int, Range<Int>) -> Void) {
        Parallel.forRanges(p.workers, workers: p.workers) { ws in
            for w in ws {
                let share = p.share(w)
                var start = share.lowerBound
                while start < share.upperBound {
                    let end = min(share.upperBound, start + p.group)
                    body(w, start..<end)
                    start = end
                }
            }
        }
    }

    private func colScratch(_ p: Plan, _ g: ConvGeometry) -> [UnsafeMutablePointer<Float>] {
        while colBuffers.count < p.workers { colBuffers.append(Buffer()) }
        let size = isPointwise ? 1 : g.rows * p.group * g.ho * g.wo
        return (0..<p.workers).map { colBuffers[$0].scratch(size) }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x)
        let n = x.shape[0], hw = g.ho * g.wo, cout = outChannels, cin = inChannels
        let xp = Planes(x)
        let y = out.channelMajor(n, cout, g.ho, g.wo)  // (Cout, N, Ho, Wo) in memory
        let yp = y.data, ldy = n * hw
        // Bias first, then GEMMs accumulate (beta = 1).
        let b = bias.value.data
        Parallel.forRanges(cout, workers: workers) { range in
            for co in range { (yp + co * ldy).update(repeating: b[co], count: ldy) }
        }
        let w = weight.value.data
        let p = plan(g, batch: n)
        let cols = colScratch(p, g)
        let pointwise = isPointwise
        let innerWorkers = p.workers > 1 ? 1 : workers
        forEachGroup(p) { worker, r in
            if pointwise {
                for i in r {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(hw), Int32(cin),
                                1, w, Int32(cin), xp.plane(i, 0), Int32(xp.sC), 1, yp + i * hw, Int32(ldy))
                }
                return
            }
            let col = cols[worker], width = r.count * hw
            Conv2D.fillColumns(g, xp, samples: r, col: col, ldcol: width, workers: innerWorkers)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(width), Int32(g.rows),
                        1, w, Int32(g.rows), col, Int32(width), 1, yp + r.lowerBound * hw, Int32(ldy))
        }
        input = training ? x : nil
        return y
    }

    /// im2col of `samples` into col (rows, samples.count*hw), split over workers by rows.
    private static func fillColumns(_ g: ConvGeometry, _ xp: Planes, samples: Range<Int>, col: UnsafeMutablePointer<Float>, ldcol: Int, workers: Int) {
        let hw = g.ho * g.wo
        let same = g.isSameStrideOne
        Parallel.forRanges(g.rows, workers: workers) { rows in
            for (j, i) in samples.enumerated() {
                if same {
                    im2colRowsSame(g, rows: rows, plane: { UnsafePointer(xp.plane(i, $0)) }, col: col + j * hw, ldcol: ldcol)
                } else {
                    im2colRows(g, rows: rows, plane: { UnsafePointer(xp.plane(i, $0)) }, col: col + j * hw, ldcol: ldcol)
                }
            }
        }
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward without a training forward") }
        let g = geometry(x)
        let n = x.shape[0], hw = g.ho * g.wo, cout = outChannels, cin = inChannels, ldy = n * hw, rows = g.rows
        precondition(dyIn.shape == [n, cout, g.ho, g.wo], "\(name): gradient shape \(dyIn.shape) differs from output [\(n), \(cout), \(g.ho), \(g.wo)]")
        let dy: Tensor
        if dyIn.isChannelMajor { dy = dyIn } else {
            dy = dyBuffer.channelMajor(n, cout, g.ho, g.wo)
            dy.assign(dyIn.toArray())
        }
        let dyp = dy.data
        // Bias gradient: sum of each output channel's row.
        let db = bias.grad.data
        Parallel.forRanges(cout, workers: workers) { range in
            for co in range { db[co] += Kernels.sum(dyp + co * ldy, ldy) }
        }
        let w = weight.value.data
        let xp = Planes(x)
        var dx: Tensor? = nil
        if computesInputGradient { dx = x.isDense && x.hasContiguousPlanes ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape) }
        let dxp = dx.map { Planes($0) }
        let p = plan(g, batch: n)
        let cols = colScratch(p, g)
        // Weight-gradient targets: worker 0 adds into grad, the others into zeroed partial sums.
        while dwBuffers.count < p.workers { dwBuffers.append(Buffer()) }
        let wcount = weight.count
        let dws: [UnsafeMutablePointer<Float>] = (0..<p.workers).map { i in
            if i == 0 { return weight.grad.data }
            let s = dwBuffers[i].scratch(wcount)
            s.update(repeating: 0, count: wcount)
            return s
        }
        let pointwise = isPointwise
        let innerWorkers = p.workers > 1 ? 1 : workers
        let planeSize = g.h * g.w
        let same = g.isSameStrideOne
        forEachGroup(p) { worker, r in
            let dw = dws[worker]
            if pointwise {
                for i in r {
                    // dW (Cout, Cin) += dY_i (Cout, hw) x X_i^T (hw, Cin)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(cin), Int32(hw),
                                1, dyp + i * hw, Int32(ldy), xp.plane(i, 0), Int32(xp.sC), 1, dw, Int32(cin))
                    if let dxp {
                        // dX_i (Cin, hw) = W^T (Cin, Cout) x dY_i (Cout, hw)
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cin), Int32(hw), Int32(cout),
                                    1, w, Int32(cin), dyp + i * hw, Int32(ldy), 0, dxp.plane(i, 0), Int32(dxp.sC))
                    }
                }
                return
            }
            let col = cols[worker], width = r.count * hw
            Conv2D.fillColumns(g, xp, samples: r, col: col, ldcol: width, workers: innerWorkers)
            // dW (Cout, rows) += dY_group (Cout, width) x col^T (width, rows)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(rows), Int32(width),
                        1, dyp + r.lowerBound * hw, Int32(ldy), col, Int32(width), 1, dw, Int32(rows))
            guard let dxp else { return }
            // dcol (rows, width) = W^T (rows, Cout) x dY_group (Cout, width), into the same buffer.
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(width), Int32(cout),
                        1, w, Int32(rows), dyp + r.lowerBound * hw, Int32(ldy), 0, col, Int32(width))
            Parallel.forRanges(cin, workers: innerWorkers) { channels in
                for (j, i) in r.enumerated() {
                    if !same { for c in channels { dxp.plane(i, c).update(repeating: 0, count: planeSize) } }
                    if same {
                        col2imChannelsSame(g, channels: channels, plane: { dxp.plane(i, $0) }, col: col + j * hw, ldcol: width)
                    } else {
                        col2imChannels(g, channels: channels, plane: { dxp.plane(i, $0) }, col: col + j * hw, ldcol: width)
                    }
                }
            }
        }
        if p.workers > 1 {
            // Sum the workers' partial weight gradients, split by ranges of weights.
            let dw0 = dws[0], partials = Array(dws.dropFirst())
            Parallel.forRanges(wcount, workers: p.workers) { range in
                for part in partials { Kernels.add(part + range.lowerBound, into: dw0 + range.lowerBound, range.count) }
            }
        }
        return dx ?? dxBuffer.rowMajor(x.shape)  // never read: the first layer's input gradient
    }
}

// Conv2D: 2-D convolution over (N, Cin, H, W) with a square kernel, any stride
// and zero padding, plus a bias per output channel. Weight (Cout, Cin, k, k),
// bias (Cout), as in PyTorch/ONNX. The output is stored channel-major
// ((Cout, N, Ho, Wo) in memory), so a group of samples is one GEMM:
//   Y[:, group] (Cout, g*Ho*Wo) = W (Cout, Cin*k*k) x col (Cin*k*k, g*Ho*Wo).
// A 1x1 stride-1 unpadded conv multiplies the input planes directly (no im2col).
// Backward recomputes im2col per group (memory stays small) and reuses the
// col buffer for the input gradient.

import CBLAS

public final class Conv2D: Layer {
    public let name: String
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int
    public let weight: Parameter  // (Cout, Cin, k, k)
    public let bias: Parameter    // (Cout)
    public var workers = 1
    /// False for the first layer: its input gradient is never needed.
    public var computesInputGradient = true
    /// Upper bound for the im2col buffer of one sample group, in bytes.
    public var groupBytes = 4 << 20

    private var input: Tensor?
    private var out = Buffer(), dxBuffer = Buffer(), colBuffer = Buffer(), dyBuffer = Buffer()

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, rng: SeededRandom) {
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

    /// Samples per GEMM group so that the col buffer stays near `groupBytes`.
    private func groupSize(_ g: ConvGeometry, batch: Int) -> Int {
        let perSample = g.rows * g.ho * g.wo * MemoryLayout<Float>.stride
        return max(1, min(batch, groupBytes / max(perSample, 1)))
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x)
        let n = x.shape[0], hw = g.ho * g.wo, cout = outChannels
        let xp = Planes(x)
        let y = out.channelMajor(n, cout, g.ho, g.wo)  // (Cout, N, Ho, Wo) in memory
        let yp = y.data, ldy = n * hw
        // Bias first, then GEMMs accumulate (beta = 1).
        let b = bias.value.data
        Parallel.forRanges(cout, workers: workers) { range in
            for co in range { (yp + co * ldy).update(repeating: b[co], count: ldy) }
        }
        let w = weight.value.data
        if isPointwise {
            if xp.sN == hw && xp.sC == n * hw {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(n * hw), Int32(inChannels),
                            1, w, Int32(inChannels), xp.data, Int32(n * hw), 1, yp, Int32(ldy))
            } else {
                for i in 0..<n {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(hw), Int32(inChannels),
                                1, w, Int32(inChannels), xp.plane(i, 0), Int32(xp.sC), 1, yp + i * hw, Int32(ldy))
                }
            }
        } else {
            let group = groupSize(g, batch: n)
            let col = colBuffer.scratch(g.rows * group * hw)  // (Cin*k*k, group*Ho*Wo)
            var n0 = 0
            while n0 < n {
                let gs = min(group, n - n0), cols = gs * hw
                fillColumns(g, xp, first: n0, count: gs, col: col, ldcol: cols)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(cols), Int32(g.rows),
                            1, w, Int32(g.rows), col, Int32(cols), 1, yp + n0 * hw, Int32(ldy))
                n0 += gs
            }
        }
        input = training ? x : nil
        return y
    }

    /// im2col of samples first..<first+count into col (rows, count*hw), split over workers by rows.
    private func fillColumns(_ g: ConvGeometry, _ xp: Planes, first: Int, count: Int, col: UnsafeMutablePointer<Float>, ldcol: Int) {
        let hw = g.ho * g.wo
        Parallel.forRanges(g.rows, workers: workers) { rows in
            for j in 0..<count {
                let i = first + j
                im2colRows(g, rows: rows, plane: { UnsafePointer(xp.plane(i, $0)) }, col: col + j * hw, ldcol: ldcol)
            }
        }
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward without a training forward") }
        let g = geometry(x)
        let n = x.shape[0], hw = g.ho * g.wo, cout = outChannels, ldy = n * hw
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
            for co in range {
                let row = dyp + co * ldy
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var i = 0
                while i + 4 <= ldy { s0 += row[i]; s1 += row[i + 1]; s2 += row[i + 2]; s3 += row[i + 3]; i += 4 }
                while i < ldy { s0 += row[i]; i += 1 }
                db[co] += (s0 + s1) + (s2 + s3)
            }
        }
        let w = weight.value.data, dw = weight.grad.data
        let xp = Planes(x)
        var dx: Tensor? = nil
        var dxp: Planes? = nil
        if computesInputGradient {
            let t = x.isDense && x.hasContiguousPlanes ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape)
            dx = t
            dxp = Planes(t)
        }
        if isPointwise {
            let cin = inChannels
            for i in 0..<n {
                // dW (Cout, Cin) += dY_i (Cout, hw) x X_i^T (hw, Cin)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(cin), Int32(hw),
                            1, dyp + i * hw, Int32(ldy), xp.plane(i, 0), Int32(xp.sC), 1, dw, Int32(cin))
                if let dxp {
                    // dX_i (Cin, hw) = W^T (Cin, Cout) x dY_i (Cout, hw)
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cin), Int32(hw), Int32(cout),
                                1, w, Int32(cin), dyp + i * hw, Int32(ldy), 0, dxp.plane(i, 0), Int32(dxp.sC))
                }
            }
            return dx ?? dxBuffer.rowMajor(x.shape)  // never read: the first layer's input gradient
        }
        let group = groupSize(g, batch: n)
        let col = colBuffer.scratch(g.rows * group * hw)  // (Cin*k*k, group*Ho*Wo)
        var n0 = 0
        while n0 < n {
            let gs = min(group, n - n0), cols = gs * hw
            fillColumns(g, xp, first: n0, count: gs, col: col, ldcol: cols)
            // dW (Cout, rows) += dY_group (Cout, cols) x col^T (cols, rows)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(g.rows), Int32(cols),
                        1, dyp + n0 * hw, Int32(ldy), col, Int32(cols), 1, dw, Int32(g.rows))
            if let dxp {
                // dcol (rows, cols) = W^T (rows, Cout) x dY_group (Cout, cols), into the same buffer.
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(g.rows), Int32(cols), Int32(cout),
                            1, w, Int32(g.rows), dyp + n0 * hw, Int32(ldy), 0, col, Int32(cols))
                let first = n0
                Parallel.forRanges(inChannels, workers: workers) { channels in
                    for j in 0..<gs {
                        let i = first + j
                        for c in channels { dxp.plane(i, c).update(repeating: 0, count: g.h * g.w) }
                        col2imChannels(g, channels: channels, plane: { dxp.plane(i, $0) }, col: col + j * hw, ldcol: cols)
                    }
                }
            }
            n0 += gs
        }
        return dx ?? dxBuffer.rowMajor(x.shape)  // never read: the first layer's input gradient
    }
}

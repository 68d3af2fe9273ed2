// MaxPool: maximum over k x k windows with stride s, no padding, per (n, c)
// plane. Remembers the winning position of each window for backward (the
// first maximum wins ties). Channel-major input gives channel-major output.

public final class MaxPool: Layer {
    public let kernel: Int, stride: Int
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer()
    private var argmax = [Int32]()  // per output element: index inside its input plane
    private var input: Tensor?

    public init(kernel: Int, stride: Int) {
        self.kernel = kernel
        self.stride = stride
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let xp = Planes(x)
        let ho = (xp.h - kernel) / stride + 1, wo = (xp.w - kernel) / stride + 1
        let y = x.isChannelMajor ? out.channelMajor(xp.n, xp.c, ho, wo) : out.rowMajor([xp.n, xp.c, ho, wo])
        let yp = Planes(y)
        if argmax.count != y.count { argmax = [Int32](repeating: 0, count: y.count) }
        let k = kernel, s = stride, w = xp.w
        argmax.withUnsafeMutableBufferPointer { ab in
            let am = ab.baseAddress!
            Parallel.forRanges(xp.n * xp.c, workers: workers) { range in
                for pl in range {
                    let i = pl / xp.c, c = pl % xp.c
                    let src = xp.plane(i, c), dst = yp.plane(i, c)
                    let arg = am + pl * ho * wo
                    if k == 2 && s == 2 {
                        for oy in 0..<ho {
                            let r0 = 2 * oy * w, r1 = r0 + w
                            for ox in 0..<wo {
                                let a = r0 + 2 * ox, b = r1 + 2 * ox
                                let v0 = src[a], v1 = src[a + 1], v2 = src[b], v3 = src[b + 1]
                                // First maximum wins ties, in (row, column) order like the general path;
                                // written as selects so the compiler emits no branches.
                                let top = max(v0, v1), bottom = max(v2, v3)
                                let topIndex = a &+ (v1 > v0 ? 1 : 0), bottomIndex = b &+ (v3 > v2 ? 1 : 0)
                                let lower = bottom > top
                                dst[oy * wo + ox] = lower ? bottom : top
                                arg[oy * wo + ox] = Int32(truncatingIfNeeded: lower ? bottomIndex : topIndex)
                            }
                        }
                        continue
                    }
                    for oy in 0..<ho {
                        for ox in 0..<wo {
                            var best = oy * s * w + ox * s
                            var bv = src[best]
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let idx = (oy * s + ky) * w + ox * s + kx
                                    if src[idx] > bv { bv = src[idx]; best = idx }
                                }
                            }
                            dst[oy * wo + ox] = bv
                            arg[oy * wo + ox] = Int32(best)
                        }
                    }
                }
            }
        }
        input = training ? x : nil
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input, let y = out.tensor else { preconditionFailure("MaxPool: backward without a training forward") }
        let dy = matchLayout(dyIn, y, &dyBuffer)
        let dx = x.isDense ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape)
        let dxp = Planes(dx), dyp = Planes(dy)
        let hw = dxp.h * dxp.w, howo = dyp.h * dyp.w
        argmax.withUnsafeBufferPointer { ab in
            let am = ab.baseAddress!
            Parallel.forRanges(dxp.n * dxp.c, workers: workers) { range in
                for pl in range {
                    let i = pl / dxp.c, c = pl % dxp.c
                    let dst = dxp.plane(i, c), src = dyp.plane(i, c)
                    let arg = am + pl * howo
                    dst.update(repeating: 0, count: hw)
                    for j in 0..<howo { dst[Int(arg[j])] += src[j] }
                }
            }
        }
        return dx
    }
}

// AvgPool: mean over k x k windows with stride s, no padding, per (n, c)
// plane; backward spreads each gradient evenly over its window.

public final class AvgPool: Layer {
    public let kernel: Int, stride: Int
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer()
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
        let k = kernel, s = stride, w = xp.w, inv = 1 / Float(kernel * kernel)
        Parallel.forRanges(xp.n * xp.c, workers: workers) { range in
            for pl in range {
                let i = pl / xp.c, c = pl % xp.c
                let src = xp.plane(i, c), dst = yp.plane(i, c)
                for oy in 0..<ho {
                    for ox in 0..<wo {
                        var acc: Float = 0
                        for ky in 0..<k { for kx in 0..<k { acc += src[(oy * s + ky) * w + ox * s + kx] } }
                        dst[oy * wo + ox] = acc * inv
                    }
                }
            }
        }
        input = training ? x : nil
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input, let y = out.tensor else { preconditionFailure("AvgPool: backward without a training forward") }
        let dy = matchLayout(dyIn, y, &dyBuffer)
        let dx = x.isDense ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape)
        let dxp = Planes(dx), dyp = Planes(dy)
        let k = kernel, s = stride, w = dxp.w, ho = dyp.h, wo = dyp.w, inv = 1 / Float(kernel * kernel)
        Parallel.forRanges(dxp.n * dxp.c, workers: workers) { range in
            for pl in range {
                let i = pl / dxp.c, c = pl % dxp.c
                let dst = dxp.plane(i, c), src = dyp.plane(i, c)
                dst.update(repeating: 0, count: dxp.h * w)
                for oy in 0..<ho {
                    for ox in 0..<wo {
                        let g = src[oy * wo + ox] * inv
                        for ky in 0..<k { for kx in 0..<k { dst[(oy * s + ky) * w + ox * s + kx] += g } }
                    }
                }
            }
        }
        return dx
    }
}

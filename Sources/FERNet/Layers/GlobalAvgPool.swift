// GlobalAvgPool: (N, C, H, W) -> (N, C), the mean of each plane.

public final class GlobalAvgPool: Layer {
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer()
    private var input: Tensor?

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let xp = Planes(x)
        let y = out.rowMajor([xp.n, xp.c])  // (N, C)
        let yp = y.data, hw = xp.h * xp.w, inv = 1 / Float(hw)
        for i in 0..<xp.n { for c in 0..<xp.c { yp[i * xp.c + c] = Kernels.sum(xp.plane(i, c), hw) * inv } }
        input = training ? x : nil
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("GlobalAvgPool: backward without a training forward") }
        let dy = dyIn.isContiguous ? dyIn : dyIn.contiguous()  // (N, C)
        let dx = x.isDense ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape)
        let dxp = Planes(dx), hw = dxp.h * dxp.w, inv = 1 / Float(hw)
        let g = dy.data
        for i in 0..<dxp.n { for c in 0..<dxp.c { dxp.plane(i, c).update(repeating: g[i * dxp.c + c] * inv, count: hw) } }
        return dx
    }
}

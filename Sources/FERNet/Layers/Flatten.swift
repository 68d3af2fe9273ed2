// Flatten: (N, C, H, W) -> (N, C*H*W) in row-major order (PyTorch's
// flatten(1)). A view when the input is row-major, else one copy; backward
// returns the gradient in the input's layout.

public final class Flatten: Layer {
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer()
    private var inputLayout: Tensor?

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.shape[0], f = x.count / max(n, 1)
        inputLayout = x
        if x.isContiguous { return x.reshaped([n, f]) }
        let y = out.rowMajor([n, f])
        if x.isChannelMajor {
            // (C, N, HW) in memory -> (N, C, HW)
            let c = x.shape[1], hw = x.shape[2] * x.shape[3]
            let xp = x.data, yp = y.data
            for i in 0..<n { for ch in 0..<c { (yp + (i * c + ch) * hw).update(from: xp + (ch * n + i) * hw, count: hw) } }
        } else {
            x.copy(into: y.data)
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = inputLayout else { preconditionFailure("Flatten: backward without forward") }
        let flat = dy.isContiguous ? dy : dy.contiguous()
        if x.isContiguous { return flat.reshaped(x.shape) }
        let dx = x.isDense ? dxBuffer.like(x) : dxBuffer.rowMajor(x.shape)
        if dx.isChannelMajor {
            let n = x.shape[0], c = x.shape[1], hw = x.shape[2] * x.shape[3]
            let sp = flat.data, dp = dx.data
            for i in 0..<n { for ch in 0..<c { (dp + (ch * n + i) * hw).update(from: sp + (i * c + ch) * hw, count: hw) } }
        } else {
            dx.assign(flat.toArray())
        }
        return dx
    }
}

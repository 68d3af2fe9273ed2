// Layer: the forward/backward pair every layer type implements. Layers keep
// what backward needs from the last training forward and reuse their output
// and scratch buffers while the batch size stays the same, so a returned
// tensor is overwritten by the layer's next call.

public protocol Layer: AnyObject {
    /// Output for input `x`; `training` selects batch statistics / dropout.
    func forward(_ x: Tensor, training: Bool) -> Tensor
    /// Gradient w.r.t. the last forward's input, given the gradient w.r.t. its
    /// output; parameter gradients are added to `parameters[i].grad`.
    func backward(_ dy: Tensor) -> Tensor
    /// Trainable parameters (empty for parameter-free layers).
    var parameters: [Parameter] { get }
    /// Non-trainable state saved with the model (batch norm running statistics).
    var buffers: [(name: String, tensor: Tensor)] { get }
    /// Worker count for elementwise work (OpenBLAS threads are set separately).
    var workers: Int { get set }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [(name: String, tensor: Tensor)] { [] }
}

/// A reusable output or scratch tensor: reallocated only when the shape or layout changes.
struct Buffer {
    private(set) var tensor: Tensor?

    /// A tensor of `shape` in row-major layout (contents undefined: previous values).
    mutating func rowMajor(_ shape: [Int]) -> Tensor {
        if let t = tensor, t.shape == shape, t.isContiguous { return t }
        let t = Tensor(shape: shape)
        tensor = t
        return t
    }

    /// A 4-D tensor stored channel-major (contents undefined).
    mutating func channelMajor(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Tensor {
        if let t = tensor, t.rank == 4, t.shape[0] == n, t.shape[1] == c, t.shape[2] == h, t.shape[3] == w, t.isChannelMajor { return t }
        let t = Tensor.channelMajor(n, c, h, w)
        tensor = t
        return t
    }

    /// A tensor with the same shape and layout as `like` (which must be dense).
    mutating func like(_ like: Tensor) -> Tensor {
        if let t = tensor, t.sameLayout(as: like) { return t }
        let t = like.zerosLike()
        tensor = t
        return t
    }

    /// Raw scratch space of at least `count` floats.
    mutating func scratch(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let t = tensor, t.count >= count { return t.data }
        let t = Tensor(shape: [count])
        tensor = t
        return t.data
    }
}

/// Same-shape planes of a 4-D tensor: plane (n, c) starts at data + n*sN + c*sC.
struct Planes {
    let n: Int, c: Int, h: Int, w: Int
    let sN: Int, sC: Int
    let data: UnsafeMutablePointer<Float>

    init(_ t: Tensor) {
        precondition(t.hasContiguousPlanes, "layer needs (N, C, H, W) with contiguous (H, W) planes, got shape \(t.shape) strides \(t.strides)")
        n = t.shape[0]; c = t.shape[1]; h = t.shape[2]; w = t.shape[3]
        sN = t.strides[0]; sC = t.strides[1]
        data = t.data
    }

    @inline(__always) func plane(_ i: Int, _ ch: Int) -> UnsafeMutablePointer<Float> { data + i * sN + ch * sC }
}

/// `t` if it already has `layout`'s shape and strides, else its values copied
/// into `buffer` in that layout (gradients handed in by tests or callers).
func matchLayout(_ t: Tensor, _ layout: Tensor, _ buffer: inout Buffer) -> Tensor {
    if t.sameLayout(as: layout) { return t }
    precondition(t.shape == layout.shape, "gradient shape \(t.shape) differs from output shape \(layout.shape)")
    let c = buffer.like(layout)
    c.assign(t.toArray())
    return c
}

/// `x` if it is dense, else a row-major copy in `buffer` (elementwise layers run over raw blocks).
func denseInput(_ x: Tensor, _ buffer: inout Buffer) -> Tensor {
    if x.isDense { return x }
    let c = buffer.rowMajor(x.shape)
    x.copy(into: c.data)
    return c
}

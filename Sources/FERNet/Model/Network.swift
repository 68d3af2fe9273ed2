// Network: a sequential stack of layers built from a ModelSpec, with the
// parameters, running statistics, export/load by name and the shared random
// source for dropout. Forward returns logits (N, classes); backward takes the
// loss gradient w.r.t. the logits. No loss, no optimiser, no file I/O here.

public enum NetworkLoadError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case unexpected(String)
    case shapeMismatch(name: String, found: [Int], expected: [Int])

    public var description: String {
        switch self {
        case .missing(let n): return "tensor \(n) is missing (was the model trained with another architecture?)"
        case .unexpected(let n): return "tensor \(n) is not part of this architecture (was the model trained with another --arch?)"
        case .shapeMismatch(let n, let found, let expected):
            return "tensor \(n) has shape \(found), architecture expects \(expected) (was it trained with another --arch?)"
        }
    }
}

public final class Network {
    public let spec: ModelSpec
    /// The engine's layers; a "batchNorm, relu" pair of the spec is one BatchNorm with fusedReLU.
    public let layers: [any Layer]
    /// Random source for dropout masks; its `state` belongs in checkpoints.
    public let rng: SeededRandom
    /// Output shape of every layer (without the batch axis).
    public let shapes: [[Int]]

    /// Builds the network and initialises its weights from `seed` (He uniform).
    public init(spec: ModelSpec, seed: UInt64) throws(ModelSpecError) {
        self.spec = spec
        shapes = try spec.shapes()
        guard shapes.last?.count == 1 else { throw .invalid("the network must end in a flat output") }
        let rng = SeededRandom(seed: seed)
        self.rng = rng
        var layers: [any Layer] = []
        var shape = spec.input
        var fusedReLUAt = Set<Int>()  // indices of ReLU layers folded into the batch norm before them
        for (i, l) in spec.layers.enumerated() {
            if fusedReLUAt.contains(i) { shape = shapes[i]; continue }
            switch l {
            case .conv2d(let name, let out, let k, let s, let p):
                let conv = Conv2D(name: name, inChannels: shape[0], outChannels: out, kernel: k, stride: s, padding: p, rng: rng)
                conv.computesInputGradient = i > 0
                layers.append(conv)
            case .batchNorm(let name, let eps, let m):
                let fuse = i + 1 < spec.layers.count && spec.layers[i + 1] == .relu
                if fuse { fusedReLUAt.insert(i + 1) }
                layers.append(BatchNorm(name: name, channels: shape[0], epsilon: eps, momentum: m, fusedReLU: fuse))
            case .relu: layers.append(ReLU())
            case .maxPool(let k, let s): layers.append(MaxPool(kernel: k, stride: s))
            case .avgPool(let k, let s): layers.append(AvgPool(kernel: k, stride: s))
            case .globalAvgPool: layers.append(GlobalAvgPool())
            case .dropout(let r):
                guard r >= 0 && r < 1 else { throw .invalid("layer \(i): dropout rate \(r) must be in [0, 1)") }
                layers.append(Dropout(rate: r, rng: rng))
            case .flatten: layers.append(Flatten())
            case .dense(let name, let out):
                layers.append(Dense(name: name, inFeatures: shape[0], outFeatures: out, rng: rng))
            }
            shape = shapes[i]
        }
        self.layers = layers
    }

    /// Convenience: the named architecture from `Architectures`.
    public convenience init(architecture: String, seed: UInt64) throws(ModelSpecError) {
        try self.init(spec: try Architectures.spec(named: architecture), seed: seed)
    }

    public var classCount: Int { shapes.last![0] }

    /// Runs training on `n` cores: with convolutionsSplitSamples (the default) that is `n`
    /// workers over one-thread OpenBLAS GEMMs, otherwise one worker over `n` OpenBLAS threads.
    /// Sets OpenBLAS's process-wide thread count.
    public func useThreads(_ n: Int) {
        precondition(n >= 1, "thread count \(n) must be at least 1")
        Threads.setBLAS(convolutionsSplitSamples ? 1 : n)
        workers = n
    }

    /// Worker threads for the engine's own parallel work: convolutions split the
    /// batch into sample groups per worker (run OpenBLAS with one thread then:
    /// `Threads.setBLAS(1)`), elementwise layers split channels.
    public var workers: Int = 1 {
        didSet { for l in layers { l.workers = workers } }
    }

    /// Upper bound of each convolution's im2col buffer per sample group, in bytes.
    public var convolutionGroupBytes: Int = 1 << 20 {
        didSet { for case let c as Conv2D in layers { c.groupBytes = convolutionGroupBytes } }
    }

    /// false: convolutions run their GEMMs one at a time and leave threading to OpenBLAS
    /// (`Threads.setBLAS(n)`); true (default): workers split the batch.
    public var convolutionsSplitSamples: Bool = true {
        didSet { for case let c as Conv2D in layers { c.splitsSamples = convolutionsSplitSamples } }
    }

    /// Logits (N, classes) for a batch (N, C, H, W) matching `spec.input`.
    /// The returned tensor is a fresh copy; everything else is reused between calls.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4 && Array(x.shape.dropFirst()) == spec.input, "network \(spec.name): input shape \(x.shape) must be (N, \(spec.input.map(String.init).joined(separator: ", ")))")
        var h = x
        for l in layers { h = l.forward(h, training: training) }
        return h.contiguous()
    }

    /// Backpropagates dLogits (N, classes) from the last training forward,
    /// adding into every parameter's grad.
    public func backward(_ dLogits: Tensor) {
        var g = dLogits
        for l in layers.reversed() { g = l.backward(g) }
    }

    /// Sets every parameter gradient to zero.
    public func zeroGrad() {
        for p in parameters { p.grad.zero() }
    }

    /// All trainable parameters in layer order.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }

    /// Number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Parameters and batch-norm running statistics, in layer order.
    public func exportTensors() -> [NamedTensor] {
        var out: [NamedTensor] = []
        for l in layers {
            for p in l.parameters { out.append(NamedTensor(name: p.name, shape: p.value.shape, values: p.value.toArray())) }
            for b in l.buffers { out.append(NamedTensor(name: b.name, shape: b.tensor.shape, values: b.tensor.toArray())) }
        }
        return out
    }

    /// Every (name, tensor) the network expects in `load`.
    private var namedStorage: [(String, Tensor)] {
        layers.flatMap { l in l.parameters.map { ($0.name, $0.value) } + l.buffers.map { ($0.name, $0.tensor) } }
    }

    /// Replaces all parameters and running statistics; checks names and shapes
    /// first, so nothing changes when it throws.
    public func load(_ tensors: [NamedTensor]) throws(NetworkLoadError) {
        var byName: [String: NamedTensor] = [:]
        for t in tensors { byName[t.name] = t }
        let expected = namedStorage
        let known = Set(expected.map { $0.0 })
        if let extra = tensors.first(where: { !known.contains($0.name) }) { throw .unexpected(extra.name) }
        for (name, t) in expected {
            guard let src = byName[name] else { throw .missing(name) }
            guard src.shape == t.shape else { throw .shapeMismatch(name: name, found: src.shape, expected: t.shape) }
        }
        for (name, t) in expected { t.assign(byName[name]!.values) }
    }
}

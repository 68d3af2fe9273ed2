// Optimizer: the interface shared by SGD and Adam/AdamW, and the state they
// save into checkpoints (named tensors plus the step count). An optimizer owns
// the parameter list it was built with; step() reads each grad and updates
// each value in place.

public protocol Optimizer: AnyObject {
    /// Learning rate used by the next step (set it from a schedule).
    var learningRate: Float { get set }
    /// Steps taken so far.
    var stepCount: Int { get }
    /// One update of every parameter from its gradient.
    func step()
    /// Moment buffers by name ("conv1.weight.momentum_buffer", ...) and the step count.
    func exportState() -> OptimizerState
    /// Restores exported state; names and shapes must match this optimizer's parameters.
    func loadState(_ state: OptimizerState) throws(OptimizerStateError)
}

public struct OptimizerState: Equatable, Sendable {
    public var step: Int
    public var tensors: [NamedTensor]
    public init(step: Int, tensors: [NamedTensor]) {
        self.step = step
        self.tensors = tensors
    }
}

public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case shapeMismatch(name: String, found: [Int], expected: [Int])
    public var description: String {
        switch self {
        case .missing(let n): return "optimizer state: tensor \(n) is missing (was the checkpoint written by another optimizer or architecture?)"
        case .shapeMismatch(let n, let f, let e): return "optimizer state: tensor \(n) has shape \(f), expected \(e)"
        }
    }
}

/// Named per-parameter buffers (one tensor per parameter and suffix).
struct MomentBuffers {
    let suffix: String
    let tensors: [Tensor]

    init(_ parameters: [Parameter], suffix: String) {
        self.suffix = suffix
        tensors = parameters.map { Tensor(shape: $0.value.shape) }
    }

    func export(_ parameters: [Parameter]) -> [NamedTensor] {
        zip(parameters, tensors).map { NamedTensor(name: "\($0.name).\(suffix)", shape: $1.shape, values: $1.toArray()) }
    }

    func check(_ parameters: [Parameter], from byName: [String: NamedTensor]) throws(OptimizerStateError) {
        for (p, t) in zip(parameters, tensors) {
            let name = "\(p.name).\(suffix)"
            guard let src = byName[name] else { throw .missing(name) }
            guard src.shape == t.shape else { throw .shapeMismatch(name: name, found: src.shape, expected: t.shape) }
        }
    }

    func load(_ parameters: [Parameter], from byName: [String: NamedTensor]) {
        for (p, t) in zip(parameters, tensors) { t.assign(byName["\(p.name).\(suffix)"]!.values) }
    }
}

func indexByName(_ tensors: [NamedTensor]) -> [String: NamedTensor] {
    var d: [String: NamedTensor] = [:]
    for t in tensors { d[t.name] = t }
    return d
}

// SGD with momentum, optional Nesterov and L2 weight decay, PyTorch's rule:
//   g = grad + wd * w (decaying parameters only)
//   b = mu * b + g                      (b = g on the first step)
//   w -= lr * (nesterov ? g + mu * b : b)

public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float, weightDecay: Float, nesterov: Bool
    public private(set) var stepCount = 0
    private let buffers: MomentBuffers

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0.9, nesterov: Bool = false, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        buffers = MomentBuffers(parameters, suffix: "momentum_buffer")
    }

    public func step() {
        let lr = learningRate, mu = momentum, nest = nesterov
        for (p, buf) in zip(parameters, buffers.tensors) {
            let w = p.value.data, gr = p.grad.data, b = buf.data
            let wd = p.decays ? weightDecay : 0
            for i in 0..<p.count {
                let g = gr[i] + wd * w[i]
                let v = mu * b[i] + g
                b[i] = v
                w[i] -= lr * (nest ? g + mu * v : v)
            }
        }
        stepCount += 1
    }

    public func exportState() -> OptimizerState { OptimizerState(step: stepCount, tensors: buffers.export(parameters)) }

    public func loadState(_ state: OptimizerState) throws(OptimizerStateError) {
        let byName = indexByName(state.tensors)
        try buffers.check(parameters, from: byName)
        buffers.load(parameters, from: byName)
        stepCount = state.step
    }
}

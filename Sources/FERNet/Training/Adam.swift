// Adam and AdamW. With bias-corrected moments m, v:
//   Adam:  g = grad + wd * w;  w -= lr * m^ / (sqrt(v^) + eps)
//   AdamW: w -= lr * wd * w (decoupled), then the Adam step with g = grad.
// Weight decay touches decaying parameters only (not biases or batch norm).

#if canImport(Glibc)
import Glibc
#endif

public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// True for AdamW (decay applied to the weights, not through the gradient).
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private let first: MomentBuffers, second: MomentBuffers

    public init(parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        first = MomentBuffers(parameters, suffix: "exp_avg")
        second = MomentBuffers(parameters, suffix: "exp_avg_sq")
    }

    /// AdamW: Adam with decoupled weight decay (default 0.01 as in PyTorch).
    public static func adamW(parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                             epsilon: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let c1 = Float(1 - pow(Double(beta1), t)), c2 = Float(1 - pow(Double(beta2), t))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon
        let stepSize = lr / c1, rc2 = 1 / c2.squareRoot()
        for (j, p) in parameters.enumerated() {
            let w = p.value.data, gr = p.grad.data, m = first.tensors[j].data, v = second.tensors[j].data
            let wd = p.decays ? weightDecay : 0
            let l2 = decoupledWeightDecay ? 0 : wd
            let shrink = decoupledWeightDecay ? 1 - lr * wd : 1
            for i in 0..<p.count {
                let g = gr[i] + l2 * w[i]
                let mi = b1 * m[i] + (1 - b1) * g
                let vi = b2 * v[i] + (1 - b2) * g * g
                m[i] = mi
                v[i] = vi
                w[i] = w[i] * shrink - stepSize * mi / (vi.squareRoot() * rc2 + eps)
            }
        }
    }

    public func exportState() -> OptimizerState {
        OptimizerState(step: stepCount, tensors: first.export(parameters) + second.export(parameters))
    }

    public func loadState(_ state: OptimizerState) throws(OptimizerStateError) {
        let byName = indexByName(state.tensors)
        try first.check(parameters, from: byName)
        try second.check(parameters, from: byName)
        first.load(parameters, from: byName)
        second.load(parameters, from: byName)
        stepCount = state.step
    }
}

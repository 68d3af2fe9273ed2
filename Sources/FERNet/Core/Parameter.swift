// Parameter: one trainable tensor of a layer with its gradient, by name
// ("conv1.weight"). Optimizers update `value` from `grad`; layers accumulate
// into `grad` in backward. Holds no optimizer state.

public final class Parameter {
    /// Export name, e.g. "conv1.weight", "bn1.bias".
    public let name: String
    /// The values, row-major; layout as in PyTorch (conv (Cout, Cin, kH, kW), dense (out, in)).
    public let value: Tensor
    /// Gradient of the loss w.r.t. `value`, same shape, accumulated by backward.
    public let grad: Tensor
    /// Whether weight decay applies (weights of conv and dense; not biases or batch norm).
    public let decays: Bool

    public init(name: String, shape: [Int], decays: Bool) {
        self.name = name
        value = Tensor(shape: shape)
        grad = Tensor(shape: shape)
        self.decays = decays
    }

    public var count: Int { value.count }
}

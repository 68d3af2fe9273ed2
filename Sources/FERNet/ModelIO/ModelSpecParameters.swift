// The tensors a ModelSpec needs, by name and shape, in layer order: what a
// model file must hold for the spec, and what the ONNX exporter writes as
// initializers. Layouts: conv weight (Cout, Cin, k, k), bias (Cout);
// batch norm weight, bias, running_mean, running_var (C); dense weight
// (out, in), bias (out). It holds no values.

extension ModelSpec {
    /// Name and shape of every parameter and running statistic, layer by layer
    /// ("conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias",
    /// "bn1.running_mean", "bn1.running_var", "fc1.weight", "fc1.bias").
    public func parameterShapes() throws(ModelSpecError) -> [(name: String, shape: [Int])] {
        let outputs = try shapes()
        var result: [(name: String, shape: [Int])] = []
        for (i, layer) in layers.enumerated() {
            let before = i == 0 ? input : outputs[i - 1]
            switch layer {
            case let .conv2d(name, out, k, _, _):
                result.append((name + ".weight", [out, before[0], k, k]))
                result.append((name + ".bias", [out]))
            case let .batchNorm(name, _, _):
                let c = before[0]  // channels of (C, H, W) or features of (F)
                for suffix in ["weight", "bias", "running_mean", "running_var"] { result.append((name + "." + suffix, [c])) }
            case let .dense(name, out):
                result.append((name + ".weight", [out, before[0]]))
                result.append((name + ".bias", [out]))
            case .relu, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten:
                break
            }
        }
        return result
    }
}

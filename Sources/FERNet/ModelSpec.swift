// A network described as data: the input shape and an ordered list of layers.
// The engine builds a Network from it, the model file stores it as JSON in its
// metadata, the ONNX exporter walks it. It holds no weights and does no math
// beyond shape inference.

/// One layer of a sequential network. Weight layouts follow PyTorch/ONNX:
/// conv weight (Cout, Cin, kH, kW), dense weight (out, in).
public enum LayerSpec: Equatable, Sendable {
    case conv2d(name: String, outChannels: Int, kernel: Int, stride: Int, padding: Int)
    case batchNorm(name: String, epsilon: Float, momentum: Float)
    case relu
    case maxPool(kernel: Int, stride: Int)
    case avgPool(kernel: Int, stride: Int)
    case globalAvgPool
    case dropout(rate: Float)
    case flatten
    case dense(name: String, outFeatures: Int)

    /// The parameter-owning name ("conv1"), or nil for parameter-free layers.
    public var name: String? {
        switch self {
        case .conv2d(let n, _, _, _, _), .batchNorm(let n, _, _), .dense(let n, _): return n
        default: return nil
        }
    }
}

public struct ModelSpec: Equatable, Sendable {
    /// Architecture name ("fer-vgg").
    public var name: String
    /// Input shape without the batch: (C, H, W), e.g. [1, 48, 48].
    public var input: [Int]
    public var layers: [LayerSpec]

    public init(name: String, input: [Int], layers: [LayerSpec]) {
        self.name = name
        self.input = input
        self.layers = layers
    }

    /// Output shape (without batch) after every layer, checked: kernels that do
    /// not fit, a dense layer on a 3-D input, duplicate names all throw.
    public func shapes() throws(ModelSpecError) -> [[Int]] {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw .invalid("input shape \(input) must be (C, H, W) with positive sizes")
        }
        var names = Set<String>()
        var shape = input
        var result: [[Int]] = []
        for (i, layer) in layers.enumerated() {
            if let n = layer.name, !names.insert(n).inserted {
                throw .invalid("layer \(i): duplicate name \(n)")
            }
            switch layer {
            case .conv2d(_, let out, let k, let s, let p):
                guard shape.count == 3, out > 0, k > 0, s > 0, p >= 0 else { throw .invalid("layer \(i): conv2d \(layer) on input \(shape)") }
                let h = (shape[1] + 2 * p - k) / s + 1, w = (shape[2] + 2 * p - k) / s + 1
                guard h > 0, w > 0 else { throw .invalid("layer \(i): conv2d kernel \(k) does not fit input \(shape)") }
                shape = [out, h, w]
            case .maxPool(let k, let s), .avgPool(let k, let s):
                guard shape.count == 3, k > 0, s > 0, shape[1] >= k, shape[2] >= k else { throw .invalid("layer \(i): pool \(k)/\(s) on input \(shape)") }
                shape = [shape[0], (shape[1] - k) / s + 1, (shape[2] - k) / s + 1]
            case .globalAvgPool:
                guard shape.count == 3 else { throw .invalid("layer \(i): globalAvgPool needs (C,H,W), got \(shape)") }
                shape = [shape[0]]
            case .flatten:
                var n = 1
                for d in shape {
                    let (product, overflow) = n.multipliedReportingOverflow(by: d)
                    guard !overflow else { throw .invalid("layer \(i): flatten of \(shape) has more elements than an Int holds; the architecture is corrupt") }
                    n = product
                }
                shape = [n]
            case .dense(_, let out):
                guard shape.count == 1, out > 0 else { throw .invalid("layer \(i): dense needs a flat input, got \(shape) (add a flatten)") }
                shape = [out]
            case .batchNorm, .relu, .dropout:
                break
            }
            result.append(shape)
        }
        return result
    }

    /// Number of output classes (the last layer's size).
    public func outputCount() throws(ModelSpecError) -> Int {
        guard let last = try shapes().last, last.count == 1 else { throw .invalid("the network must end in a flat output") }
        return last[0]
    }
}

public enum ModelSpecError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case unknownArchitecture(String, known: [String])
    public var description: String {
        switch self {
        case .invalid(let m): return "model spec: \(m)"
        case .unknownArchitecture(let n, let known): return "unknown architecture \"\(n)\"; known: \(known.joined(separator: ", "))"
        }
    }
}

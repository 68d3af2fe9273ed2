// Keras chain → fer-cam ModelSpec + weights. Keras is channels-last: a conv
// kernel is (kH, kW, Cin, Cout), a dense kernel (in, out), and Flatten orders
// features (H, W, C). FERNet is NCHW: conv weight (Cout, Cin, kH, kW), dense
// weight (out, in), Flatten (C, H, W). So kernels are transposed, and the
// features after a Flatten carry a permutation (ours → Keras's) until the next
// Dense consumes it; a BatchNormalization on them is permuted with it. Finally
// the output layer's rows are put in fer-cam's emotion order. Anything the
// engine cannot represent is refused with the layer named. No file I/O here.

import FERNet

struct ConvertedModel {
    var spec: ModelSpec
    /// In the spec's parameter order.
    var tensors: [NamedTensor]
    /// Things the user should know ("the last layer gives logits ...").
    var notes: [String]
}

struct KerasConverter {
    let path: String
    let weights: any KerasWeightStore

    /// The layer classes the import understands, for the "not supported" message.
    static let supported = ["InputLayer", "Conv2D", "BatchNormalization", "Activation", "ReLU", "MaxPooling2D",
                            "AveragePooling2D", "GlobalAveragePooling2D", "Dropout", "Flatten", "Dense"]

    private var layers: [LayerSpec] = []
    private var tensors: [NamedTensor] = []
    private var input: [Int] = []
    /// For flat features after a Flatten: our feature i is Keras's feature order[i]. nil: the same order.
    private var featureOrder: [Int]? = nil
    private var notes: [String] = []

    init(path: String, weights: any KerasWeightStore) {
        self.path = path
        self.weights = weights
    }

    private func unsupported(_ layer: KerasLayer, _ why: String) -> KerasImportError {
        KerasImportError(path: path, kind: .unsupported, message: "\(layer.label): \(why)")
    }

    private func malformed(_ layer: KerasLayer, _ why: String) -> KerasImportError {
        KerasImportError(path: path, kind: .malformed, message: "\(layer.label): \(why)")
    }

    /// The shape after the layers so far (C, H, W) or (F), by FERNet's own shape rules.
    private func shape() throws(KerasImportError) -> [Int] {
        do { return try ModelSpec(name: "import", input: input, layers: layers).shapes().last ?? input } catch {
            throw KerasImportError(path: path, kind: .unsupported, message: "the layers so far do not fit together: \(error.description)")
        }
    }

    /// Converts `model`, putting the outputs named by `labels` into fer-cam's order.
    mutating func convert(_ model: KerasModelConfig, labels: KerasLabelOrder) throws(KerasImportError) -> ConvertedModel {
        input = try inputShape(model)
        var body = model.layers
        if body.first?.className == "InputLayer" { body.removeFirst() }
        guard !body.isEmpty else { throw KerasImportError(path: path, kind: .malformed, message: "the model has no layers after its input") }
        var lastDense: Int? = nil
        for (i, layer) in body.enumerated() {
            let isLast = i == body.count - 1
            switch layer.className {
            case "Conv2D": try conv(layer, isLast: isLast)
            case "Dense": lastDense = layers.count; try dense(layer, isLast: isLast)
            case "BatchNormalization": try batchNorm(layer)
            case "Activation":
                guard let name = layer.value("activation")?.stringValue else { throw malformed(layer, "no \"activation\" name") }
                try activation(name, of: layer, isLast: isLast)
            case "ReLU":
                for (key, neutral) in [("max_value", nil), ("negative_slope", 0.0), ("threshold", 0.0)] as [(String, Double?)] {
                    let v = layer.value(key)
                    let isNeutral = neutral == nil ? (v == nil || v == .null) : (v == nil || v?.floatValue.map(Double.init) == neutral)
                    guard isNeutral else { throw unsupported(layer, "\(key) \(v!.shortText) is not supported (fer-cam's ReLU is max(x, 0))") }
                }
                layers.append(.relu)
            case "MaxPooling2D", "AveragePooling2D": try pool(layer)
            case "GlobalAveragePooling2D":
                try channelsLast(layer)
                guard try shape().count == 3 else { throw unsupported(layer, "needs an (H, W, C) input") }
                layers.append(.globalAvgPool)
            case "Dropout":
                let rate = layer.value("rate")?.floatValue ?? 0
                guard rate >= 0, rate < 1 else { throw malformed(layer, "rate \(rate) is not in [0, 1)") }
                layers.append(.dropout(rate: rate))
            case "Flatten":
                try channelsLast(layer)
                let s = try shape()
                if s.count == 3, s[1] * s[2] > 1 {
                    let (c, h, w) = (s[0], s[1], s[2])
                    // Ours: c*H*W + y*W + x. Keras's (H, W, C) flattening: (y*W + x)*C + c.
                    var order = [Int](repeating: 0, count: c * h * w)
                    for ci in 0..<c { for y in 0..<h { for x in 0..<w { order[(ci * h + y) * w + x] = (y * w + x) * c + ci } } }
                    featureOrder = order
                }
                layers.append(.flatten)
            case "InputLayer":
                throw unsupported(layer, "a second input layer; fer-cam imports one chain from one input")
            default:
                throw unsupported(layer, "this layer class is not supported; fer-cam imports \(Self.supported.joined(separator: ", "))")
            }
        }
        let out = try shape()
        guard out.count == 1 else { throw KerasImportError(path: path, kind: .unsupported, message: "the model's output has shape \(out), not one score per class (end with Flatten/Dense)") }
        guard out[0] == Emotion.count, let lastDense else {
            throw KerasImportError(path: path, kind: .unsupported, message: "the model has \(out[0]) outputs; fer-cam's emotions are \(Emotion.count) (\(Emotion.names.joined(separator: ", ")))")
        }
        try putInEmotionOrder(after: lastDense, labels: labels)
        let spec = ModelSpec(name: "keras-\(model.name)", input: input, layers: layers)
        let ordered: [NamedTensor]
        do { ordered = try ModelFile.checkTensors(tensors, against: spec, path: path) } catch {
            throw KerasImportError(path: path, kind: .malformed, message: "the converted weights do not fit the converted layers: \(error.problem.message)")
        }
        return ConvertedModel(spec: spec, tensors: ordered, notes: notes)
    }

    // MARK: Input

    private func inputShape(_ model: KerasModelConfig) throws(KerasImportError) -> [Int] {
        func fail(_ kind: KerasImportError.Kind, _ why: String) -> KerasImportError { KerasImportError(path: path, kind: kind, message: why) }
        guard let dims = model.batchShape else {
            throw fail(.malformed, "the model declares no input shape (no InputLayer and no batch_input_shape on its first layer)")
        }
        guard dims.count == 4 else {
            throw fail(.unsupported, "the input has shape \(JSONValue.array(dims).text); fer-cam imports image models with input (batch, height, width, channels)")
        }
        guard let h = dims[1].intValue, let w = dims[2].intValue, let c = dims[3].intValue else {
            throw fail(.unsupported, "the input's size is not fixed (\(JSONValue.array(dims).text)); fer-cam needs a fixed side such as 48")
        }
        guard c == 1 else {
            throw fail(.unsupported, "the input has \(c) channels (\(c == 3 ? "RGB" : "not gray")); fer-cam feeds gray faces (1 channel): retrain the model on gray images")
        }
        guard h == w, h > 0 else { throw fail(.unsupported, "the input is \(w)×\(h); fer-cam feeds square faces") }
        return [1, h, w]
    }

    // MARK: Layers

    private func channelsLast(_ layer: KerasLayer) throws(KerasImportError) {
        if let f = layer.value("data_format"), f != .null, f.stringValue != "channels_last" {
            throw unsupported(layer, "data_format \(f.shortText) is not supported (only channels_last)")
        }
    }

    /// A pair [a, a] (or a bare a) of a square option such as kernel_size.
    private func square(_ layer: KerasLayer, _ key: String, default fallback: Int? = nil) throws(KerasImportError) -> Int {
        guard let v = layer.value(key), v != .null else {
            if let fallback { return fallback }
            throw malformed(layer, "no \"\(key)\"")
        }
        if let n = v.intValue { return n }
        guard let pair = v.arrayValue?.compactMap(\.intValue), pair.count == 2 else { throw malformed(layer, "\(key) \(v.shortText) is not two integers") }
        guard pair[0] == pair[1] else { throw unsupported(layer, "\(key) \(v.shortText) is not square; fer-cam supports square kernels, strides and pools") }
        return pair[0]
    }

    private func flag(_ layer: KerasLayer, _ key: String, default fallback: Bool) -> Bool {
        if case .bool(let b)? = layer.value(key) { return b }
        return fallback
    }

    /// The layers for a Keras activation name: relu → ReLU, linear → none, softmax → none at the very end
    /// (fer-cam's engine turns the last layer's outputs into probabilities itself).
    private mutating func activation(_ name: String, of layer: KerasLayer, isLast: Bool) throws(KerasImportError) {
        switch name {
        case "relu": layers.append(.relu)
        case "linear": if isLast { notes.append("the last layer gives logits (no softmax); fer-cam applies softmax to them") }
        case "softmax":
            guard isLast else { throw unsupported(layer, "softmax before the last layer is not supported (fer-cam applies softmax once, at the output)") }
        default:
            throw unsupported(layer, "activation \"\(name)\" is not supported (relu, linear, and softmax as the last activation are)")
        }
    }

    /// Keras's activation option of a Conv2D or Dense (a name; "linear" when absent).
    private func activationName(_ layer: KerasLayer) throws(KerasImportError) -> String {
        guard let v = layer.value("activation"), v != .null else { return "linear" }
        guard let name = v.stringValue else { throw unsupported(layer, "activation \(v.shortText) is not a plain name such as \"relu\"") }
        return name
    }

    private mutating func conv(_ layer: KerasLayer, isLast: Bool) throws(KerasImportError) {
        try channelsLast(layer)
        let s = try shape()
        guard s.count == 3 else { throw unsupported(layer, "needs an (H, W, C) input, got flat features") }
        guard let filters = layer.value("filters")?.intValue, filters > 0 else { throw malformed(layer, "no positive \"filters\"") }
        let k = try square(layer, "kernel_size"), stride = try square(layer, "strides", default: 1)
        let dilation = try square(layer, "dilation_rate", default: 1)
        guard dilation == 1 else { throw unsupported(layer, "dilation_rate \(dilation) is not supported (fer-cam's convolutions have dilation 1)") }
        if let g = layer.value("groups")?.intValue, g != 1 { throw unsupported(layer, "groups \(g) is not supported (only 1)") }
        let padding: Int
        switch layer.value("padding")?.stringValue ?? "valid" {
        case "valid": padding = 0
        case "same":
            // TensorFlow's "same": total padding so the output is ceil(H / stride), the odd pixel at the end.
            let h = s[1], rest = h % stride
            let total = max(k - (rest == 0 ? stride : rest), 0)
            guard total % 2 == 0 else {
                throw unsupported(layer, "padding \"same\" with kernel \(k) and stride \(stride) on a \(h)×\(h) input pads one side more than the other; fer-cam pads both sides alike (use an odd kernel with stride 1, or padding \"valid\")")
            }
            padding = total / 2
        case let other: throw unsupported(layer, "padding \"\(other)\" is not supported (valid or same)")
        }
        let useBias = flag(layer, "use_bias", default: true)
        let w = try weights.weights(of: layer, roles: ["kernel"] + (useBias ? ["bias"] : []), path: path)
        let cin = s[0]
        let kernel = w["kernel"]!
        guard kernel.shape == [k, k, cin, filters] else {
            throw malformed(layer, "kernel has shape \(kernel.shape), expected [\(k), \(k), \(cin), \(filters)] (kH, kW, Cin, Cout)")
        }
        // Keras (kH, kW, Cin, Cout) → FERNet (Cout, Cin, kH, kW).
        var ours = [Float](repeating: 0, count: kernel.values.count)
        for o in 0..<filters { for i in 0..<cin { for y in 0..<k { for x in 0..<k {
            ours[((o * cin + i) * k + y) * k + x] = kernel.values[((y * k + x) * cin + i) * filters + o]
        } } } }
        tensors.append(NamedTensor(name: layer.name + ".weight", shape: [filters, cin, k, k], values: ours))
        tensors.append(NamedTensor(name: layer.name + ".bias", shape: [filters], values: try vector(w["bias"], filters, layer, "bias", fill: 0)))
        layers.append(.conv2d(name: layer.name, outChannels: filters, kernel: k, stride: stride, padding: padding))
        try activation(try activationName(layer), of: layer, isLast: isLast)
    }

    private mutating func dense(_ layer: KerasLayer, isLast: Bool) throws(KerasImportError) {
        let s = try shape()
        guard s.count == 1 else { throw unsupported(layer, "a Dense layer on an (H, W, C) input is not supported; add a Flatten (or GlobalAveragePooling2D) before it") }
        guard let units = layer.value("units")?.intValue, units > 0 else { throw malformed(layer, "no positive \"units\"") }
        let useBias = flag(layer, "use_bias", default: true)
        let w = try weights.weights(of: layer, roles: ["kernel"] + (useBias ? ["bias"] : []), path: path)
        let inputs = s[0]
        let kernel = w["kernel"]!
        guard kernel.shape == [inputs, units] else { throw malformed(layer, "kernel has shape \(kernel.shape), expected [\(inputs), \(units)] (in, out)") }
        // Keras (in, out), features in Keras's order → FERNet (out, in), features in ours.
        let order = featureOrder
        var ours = [Float](repeating: 0, count: kernel.values.count)
        for o in 0..<units { for i in 0..<inputs { ours[o * inputs + i] = kernel.values[(order?[i] ?? i) * units + o] } }
        featureOrder = nil
        tensors.append(NamedTensor(name: layer.name + ".weight", shape: [units, inputs], values: ours))
        tensors.append(NamedTensor(name: layer.name + ".bias", shape: [units], values: try vector(w["bias"], units, layer, "bias", fill: 0)))
        layers.append(.dense(name: layer.name, outFeatures: units))
        try activation(try activationName(layer), of: layer, isLast: isLast)
    }

    private mutating func batchNorm(_ layer: KerasLayer) throws(KerasImportError) {
        let s = try shape()
        // Keras's channel axis is the last of (N, H, W, C) or (N, F): 3 or 1, or -1.
        let rank = s.count + 1
        let axes = layer.value("axis").map { $0.arrayValue ?? [$0] }?.compactMap(\.intValue) ?? [-1]
        guard axes.count == 1, axes[0] == -1 || axes[0] == rank - 1 else {
            throw unsupported(layer, "axis \(axes) is not the channel axis; fer-cam normalizes per channel (axis -1)")
        }
        if flag(layer, "renorm", default: false) { throw unsupported(layer, "renorm is not supported") }
        let epsilon = layer.value("epsilon")?.floatValue ?? 1e-3
        let momentum = layer.value("momentum")?.floatValue ?? 0.99
        let center = flag(layer, "center", default: true), scale = flag(layer, "scale", default: true)
        let roles = (scale ? ["gamma"] : []) + (center ? ["beta"] : []) + ["moving_mean", "moving_variance"]
        let w = try weights.weights(of: layer, roles: roles, path: path)
        let c = s[0]
        // On flat features after a Flatten, the statistics are in Keras's feature order.
        let order = s.count == 1 ? featureOrder : nil
        func ours(_ role: String, fill: Float) throws(KerasImportError) -> [Float] {
            let v = try vector(w[role], c, layer, role, fill: fill)
            guard let order else { return v }
            return order.map { v[$0] }
        }
        tensors.append(NamedTensor(name: layer.name + ".weight", shape: [c], values: try ours("gamma", fill: 1)))
        tensors.append(NamedTensor(name: layer.name + ".bias", shape: [c], values: try ours("beta", fill: 0)))
        tensors.append(NamedTensor(name: layer.name + ".running_mean", shape: [c], values: try ours("moving_mean", fill: 0)))
        tensors.append(NamedTensor(name: layer.name + ".running_var", shape: [c], values: try ours("moving_variance", fill: 1)))
        // Keras: running = momentum * running + (1 - momentum) * batch; FERNet counts the batch's share.
        layers.append(.batchNorm(name: layer.name, epsilon: epsilon, momentum: 1 - momentum))
    }

    private mutating func pool(_ layer: KerasLayer) throws(KerasImportError) {
        try channelsLast(layer)
        let s = try shape()
        guard s.count == 3 else { throw unsupported(layer, "needs an (H, W, C) input") }
        let k = try square(layer, "pool_size", default: 2)
        let stride = try square(layer, "strides", default: k)
        if layer.value("padding")?.stringValue == "same" {
            // Representable only where "same" adds no padding: the output is then the same as "valid".
            let h = s[1], out = (h + stride - 1) / stride
            guard max((out - 1) * stride + k - h, 0) == 0 else {
                throw unsupported(layer, "padding \"same\" pads this \(h)×\(h) input; fer-cam's pooling has no padding (use padding \"valid\")")
            }
        } else if let p = layer.value("padding")?.stringValue, p != "valid" {
            throw unsupported(layer, "padding \"\(p)\" is not supported")
        }
        layers.append(layer.className == "MaxPooling2D" ? .maxPool(kernel: k, stride: stride) : .avgPool(kernel: k, stride: stride))
    }

    /// A (count) weight as given, or `fill` everywhere when the layer has none (use_bias, center, scale off).
    private func vector(_ a: HDF5Array?, _ count: Int, _ layer: KerasLayer, _ role: String, fill: Float) throws(KerasImportError) -> [Float] {
        guard let a else { return [Float](repeating: fill, count: count) }
        guard a.shape == [count] else { throw malformed(layer, "\(role) has shape \(a.shape), expected [\(count)]") }
        return a.values
    }

    // MARK: Labels

    /// Reorders the outputs of the last Dense (and of any batch norm after it) so output j is fer-cam's emotion j.
    private mutating func putInEmotionOrder(after denseIndex: Int, labels: KerasLabelOrder) throws(KerasImportError) {
        let source = labels.sourceIndex
        let owners = layers[denseIndex...].compactMap(\.name)  // the dense layer, then batch norms
        for (t, tensor) in tensors.enumerated() {
            guard owners.contains(where: { tensor.name.hasPrefix($0 + ".") }) else { continue }
            let rows = tensor.shape[0], width = tensor.values.count / rows
            guard rows == source.count else { continue }
            var v = [Float](repeating: 0, count: tensor.values.count)
            for j in 0..<rows { for i in 0..<width { v[j * width + i] = tensor.values[source[j] * width + i] } }
            tensors[t] = NamedTensor(name: tensor.name, shape: tensor.shape, values: v)
        }
    }
}

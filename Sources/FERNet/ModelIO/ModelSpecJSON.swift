// ModelSpec ⇄ JSON, the readable form stored in the model file's metadata:
//   {"name":"fer-vgg","input":[1,48,48],"layers":[
//     {"type":"conv2d","name":"conv1","out":32,"kernel":3,"stride":1,"padding":1},
//     {"type":"relu"}, ...]}
// Decoding is strict: every key is required, unknown keys and wrong types are
// errors that name the layer, and the decoded spec must pass shape inference.
// It does not build networks.

extension LayerSpec {
    /// The "type" value of each layer kind, in the order they are documented.
    public static let jsonTypes = ["conv2d", "batchnorm", "relu", "maxpool", "avgpool", "globalavgpool", "dropout", "flatten", "dense"]

    public var json: JSONValue {
        switch self {
        case let .conv2d(name, out, kernel, stride, padding):
            return .object([("type", .string("conv2d")), ("name", .string(name)), ("out", .int(out)),
                            ("kernel", .int(kernel)), ("stride", .int(stride)), ("padding", .int(padding))])
        case let .batchNorm(name, epsilon, momentum):
            return .object([("type", .string("batchnorm")), ("name", .string(name)),
                            ("epsilon", .float(epsilon)), ("momentum", .float(momentum))])
        case .relu:
            return .object([("type", .string("relu"))])
        case let .maxPool(kernel, stride):
            return .object([("type", .string("maxpool")), ("kernel", .int(kernel)), ("stride", .int(stride))])
        case let .avgPool(kernel, stride):
            return .object([("type", .string("avgpool")), ("kernel", .int(kernel)), ("stride", .int(stride))])
        case .globalAvgPool:
            return .object([("type", .string("globalavgpool"))])
        case let .dropout(rate):
            return .object([("type", .string("dropout")), ("rate", .float(rate))])
        case .flatten:
            return .object([("type", .string("flatten"))])
        case let .dense(name, out):
            return .object([("type", .string("dense")), ("name", .string(name)), ("out", .int(out))])
        }
    }

    /// Decodes layer number `index` (used in error messages).
    public init(json: JSONValue, index: Int) throws(ModelSpecError) {
        guard let pairs = json.objectValue else {
            throw .invalid("layer \(index): must be an object like {\"type\":\"relu\"}, found \(json.kindName)")
        }
        guard let typeValue = pairs.first(where: { $0.0 == "type" })?.1 else {
            throw .invalid("layer \(index): missing \"type\" (one of \(Self.jsonTypes.joined(separator: ", ")))")
        }
        guard let type = typeValue.stringValue, Self.jsonTypes.contains(type) else {
            throw .invalid("layer \(index): unknown type \(typeValue.shortText) (known: \(Self.jsonTypes.joined(separator: ", ")))")
        }
        let fields = LayerFields(pairs: pairs, where: "layer \(index) (\(type))")
        switch type {
        case "conv2d":
            try fields.allow(["type", "name", "out", "kernel", "stride", "padding"])
            self = .conv2d(name: try fields.string("name"), outChannels: try fields.int("out"), kernel: try fields.int("kernel"),
                           stride: try fields.int("stride"), padding: try fields.int("padding"))
        case "batchnorm":
            try fields.allow(["type", "name", "epsilon", "momentum"])
            self = .batchNorm(name: try fields.string("name"), epsilon: try fields.float("epsilon"), momentum: try fields.float("momentum"))
        case "maxpool":
            try fields.allow(["type", "kernel", "stride"])
            self = .maxPool(kernel: try fields.int("kernel"), stride: try fields.int("stride"))
        case "avgpool":
            try fields.allow(["type", "kernel", "stride"])
            self = .avgPool(kernel: try fields.int("kernel"), stride: try fields.int("stride"))
        case "dropout":
            try fields.allow(["type", "rate"])
            self = .dropout(rate: try fields.float("rate"))
        case "dense":
            try fields.allow(["type", "name", "out"])
            self = .dense(name: try fields.string("name"), outFeatures: try fields.int("out"))
        case "relu":
            try fields.allow(["type"])
            self = .relu
        case "globalavgpool":
            try fields.allow(["type"])
            self = .globalAvgPool
        default:  // "flatten"
            try fields.allow(["type"])
            self = .flatten
        }
    }
}

/// Typed access to one JSON object's fields, with errors that say where.
private struct LayerFields {
    let pairs: [(String, JSONValue)]
    let location: String

    init(pairs: [(String, JSONValue)], where location: String) {
        self.pairs = pairs
        self.location = location
    }

    func allow(_ keys: [String]) throws(ModelSpecError) {
        for (k, _) in pairs where !keys.contains(k) {
            throw .invalid("\(location): unknown key \"\(k)\" (expected \(keys.joined(separator: ", ")))")
        }
    }

    func value(_ key: String) throws(ModelSpecError) -> JSONValue {
        guard let v = pairs.first(where: { $0.0 == key })?.1 else { throw .invalid("\(location): missing \"\(key)\"") }
        return v
    }

    /// Sizes, kernels, strides and paddings beyond this are refused, so shape
    /// inference on a hostile file cannot overflow.
    static let maxInt = 100_000

    func int(_ key: String) throws(ModelSpecError) -> Int {
        let v = try value(key)
        guard let i = v.intValue else { throw .invalid("\(location): \"\(key)\" must be an integer, found \(v.shortText)") }
        guard (0...Self.maxInt).contains(i) else { throw .invalid("\(location): \"\(key)\" is \(i), must be in 0...\(Self.maxInt)") }
        return i
    }

    func float(_ key: String) throws(ModelSpecError) -> Float {
        let v = try value(key)
        guard let f = v.floatValue else { throw .invalid("\(location): \"\(key)\" must be a finite number, found \(v.shortText)") }
        return f
    }

    func string(_ key: String) throws(ModelSpecError) -> String {
        let v = try value(key)
        guard let s = v.stringValue, !s.isEmpty else { throw .invalid("\(location): \"\(key)\" must be a non-empty string, found \(v.shortText)") }
        return s
    }
}

extension ModelSpec {
    public var json: JSONValue {
        .object([("name", .string(name)), ("input", .array(input.map { .int($0) })), ("layers", .array(layers.map(\.json)))])
    }

    /// Compact JSON text, as stored in the model file.
    public var jsonText: String { json.text }

    /// Decodes and checks a spec (strict keys and types, then shape inference).
    public init(json: JSONValue) throws(ModelSpecError) {
        let fields = LayerFields(pairs: json.objectValue ?? [], where: "spec")
        guard json.objectValue != nil else { throw .invalid("spec must be a JSON object with name, input and layers, found \(json.kindName)") }
        try fields.allow(["name", "input", "layers"])
        let name = try fields.string("name")
        let inputValue = try fields.value("input")
        guard let dims = inputValue.arrayValue, dims.count == 3, case let input = dims.compactMap(\.intValue), input.count == 3,
              input.allSatisfy({ (1...LayerFields.maxInt).contains($0) }) else {
            throw .invalid("spec: \"input\" must be [C, H, W] integers in 1...\(LayerFields.maxInt), found \(inputValue.shortText)")
        }
        let layersValue = try fields.value("layers")
        guard let items = layersValue.arrayValue else { throw .invalid("spec: \"layers\" must be an array, found \(layersValue.kindName)") }
        var layers: [LayerSpec] = []
        for (i, item) in items.enumerated() { layers.append(try LayerSpec(json: item, index: i)) }
        self.init(name: name, input: input, layers: layers)
        _ = try shapes()
    }

    /// Parses JSON text, then decodes as `init(json:)`.
    public init(jsonText: String) throws(ModelSpecError) {
        let value: JSONValue
        do { value = try JSONValue.parse(jsonText) } catch { throw .invalid("spec: \(error)") }
        try self.init(json: value)
    }
}

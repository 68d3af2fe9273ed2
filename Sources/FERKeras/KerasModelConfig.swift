// A Keras model's architecture JSON (the `model_config` attribute of a legacy
// .h5, or config.json in a .keras zip) read into a plain chain of layers:
// Sequential as it is, Functional only when every layer takes the output of
// the one before (anything else is refused, naming the layer). It reads the
// declared input shape too. It converts nothing (KerasConverter does).

import FERNet

/// One Keras layer of the chain: its class, name and config object.
struct KerasLayer {
    /// Position in the model's layer list, from 1.
    var position: Int
    var className: String
    var name: String
    var config: [(String, JSONValue)]

    func value(_ key: String) -> JSONValue? { config.first { $0.0 == key }?.1 }

    /// "layer 3 \"conv2d_1\" (Conv2D)", for messages.
    var label: String { "layer \(position) \"\(name)\" (\(className))" }
}

struct KerasModelConfig {
    /// "Sequential" or "Functional".
    var className: String
    var name: String
    /// The chain in order; an InputLayer, if the model has one, first.
    var layers: [KerasLayer]
    /// The input's batch shape as Keras declares it, e.g. [null, 48, 48, 1].
    var batchShape: [JSONValue]?

    static func parse(_ text: String, path: String) throws(KerasImportError) -> KerasModelConfig {
        func malformed(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .malformed, message: "model config: \(why)") }
        func unsupported(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .unsupported, message: why) }
        let root: JSONValue
        do { root = try JSONValue.parse(text) } catch { throw malformed("not valid JSON (\(error))") }
        guard let top = root.objectValue else { throw malformed("not a JSON object") }
        func field(_ pairs: [(String, JSONValue)], _ key: String) -> JSONValue? { pairs.first { $0.0 == key }?.1 }
        guard let className = field(top, "class_name")?.stringValue else { throw malformed("no \"class_name\"") }
        guard ["Sequential", "Functional", "Model"].contains(className) else {
            throw unsupported("the model is a \(className); fer-cam imports Sequential models and Functional models that are a plain chain")
        }
        guard let config = field(top, "config")?.objectValue, let items = field(config, "layers")?.arrayValue else {
            throw malformed("no \"config\".\"layers\" list")
        }
        let modelName = field(config, "name")?.stringValue ?? "model"
        var layers: [KerasLayer] = []
        var inbound: [[String]] = []
        for (i, item) in items.enumerated() {
            guard let pairs = item.objectValue, let cls = field(pairs, "class_name")?.stringValue,
                  let layerConfig = field(pairs, "config")?.objectValue else {
                throw malformed("layer \(i + 1) is not an object with class_name and config")
            }
            let name = field(pairs, "name")?.stringValue ?? field(layerConfig, "name")?.stringValue ?? "\(cls.lowercased())_\(i)"
            var layer = KerasLayer(position: i + 1, className: cls, name: name, config: layerConfig)
            if ["Sequential", "Functional", "Model"].contains(cls) {
                throw unsupported("\(layer.label) is a nested model; fer-cam imports one flat chain of layers (rebuild the model without nesting, or save the inner model)")
            }
            // tf.keras 2 .keras files keep the input shape in build_config.
            if i == 0, field(layerConfig, "batch_input_shape") == nil,
               let build = field(pairs, "build_config")?.objectValue, let shape = field(build, "input_shape") {
                layer.config.append(("batch_input_shape", shape))
            }
            layers.append(layer)
            if className != "Sequential" {
                guard let nodes = field(pairs, "inbound_nodes")?.arrayValue else { throw malformed("\(layer.label) has no inbound_nodes") }
                guard nodes.count <= 1 else {
                    throw unsupported("\(layer.label) is used \(nodes.count) times (a shared layer); fer-cam imports a plain chain")
                }
                inbound.append(nodes.first.map(Self.sources(of:)) ?? [])
            }
        }
        if className != "Sequential" {
            for (i, layer) in layers.enumerated() {
                let expected = i == 0 ? [] : [layers[i - 1].name]
                guard inbound[i] == expected else {
                    let from = inbound[i].isEmpty ? "no layer" : inbound[i].joined(separator: ", ")
                    throw unsupported("the model is not a plain chain: \(layer.label) takes its input from \(from)\(i == 0 ? "" : ", not from the layer before it (\(layers[i - 1].name))"); fer-cam imports sequential chains only")
                }
            }
            if let outputs = field(config, "output_layers")?.arrayValue {
                let names = Self.sources(of: .array(outputs))
                guard names == [layers.last?.name ?? ""] else {
                    throw unsupported("the model's outputs are \(names) instead of its last layer alone; fer-cam imports one output")
                }
            }
        }
        guard !layers.isEmpty else { throw malformed("the model has no layers") }
        let first = layers[0]
        let shape = first.value("batch_shape") ?? first.value("batch_input_shape")
        return KerasModelConfig(className: className, name: modelName, layers: layers, batchShape: shape?.arrayValue)
    }

    /// The names of the layers whose outputs a node (or an output list) refers to, in order:
    /// Keras 3 writes {"keras_history": [name, node, tensor]} objects, tf.keras 2 [name, node, tensor, kwargs] lists.
    static func sources(of node: JSONValue) -> [String] {
        switch node {
        case .object(let pairs):
            if let history = pairs.first(where: { $0.0 == "keras_history" })?.1.arrayValue, let name = history.first?.stringValue {
                return [name]
            }
            // Keras 3 puts kwargs (mask: null, training: ...) beside args; only args carry inputs.
            if let args = pairs.first(where: { $0.0 == "args" })?.1 { return sources(of: args) }
            return pairs.filter { $0.0 == "config" }.flatMap { sources(of: $0.1) }
        case .array(let items):
            if items.count >= 3, let name = items[0].stringValue, items[1].intValue != nil { return [name] }
            return items.flatMap(sources(of:))
        default:
            return []
        }
    }
}

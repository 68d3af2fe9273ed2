// Writes a ModelSpec and its weights as an ONNX model (IR version 7, opset 13)
// for inference: input "input" (N, C, H, W) float with a dynamic batch "N",
// output "probabilities" (N, classes) after Softmax(axis=1). Layers map to
// Conv, BatchNormalization (running statistics), Relu, MaxPool, AveragePool,
// GlobalAveragePool (+ Flatten), Flatten, Gemm (transB=1); dropout is left
// out. Normalization, labels and the spec go into metadata_props.
// It does not run the model and does not read ONNX files.

import Foundation

/// Why a model cannot be exported.
public struct ONNXExportError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { "ONNX export: \(message)" }
}

public enum ONNXExporter {
    public static let irVersion = 7
    public static let opsetVersion = 13
    public static let inputName = "input"
    public static let outputName = "probabilities"

    /// The serialized ONNX ModelProto.
    /// - Throws: `ONNXExportError` when the spec is invalid or the tensors do
    ///   not match it (missing, extra, wrong shape, not finite).
    public static func export(spec: ModelSpec, tensors: [NamedTensor], normalization: InputNormalization,
                              labels: [String] = Emotion.names) throws(ONNXExportError) -> [UInt8] {
        let ordered: [NamedTensor]
        do { ordered = try ModelFile.checkTensors(tensors, against: spec, path: "<export>") } catch {
            throw ONNXExportError(message: error.problem.message)
        }
        let classes: Int
        do { classes = try spec.outputCount() } catch { throw ONNXExportError(message: error.description) }
        let nodes = graphNodes(spec)

        var model = ProtobufWriter()
        model.int(1, irVersion)                                   // ir_version
        model.string(2, "fer-cam")                                // producer_name
        model.string(3, "1")                                      // producer_version
        model.string(6, "fer-cam emotion classifier \(spec.name)") // doc_string
        model.message(7) { graph in                               // graph
            for node in nodes { graph.message(1) { node.write(to: &$0) } }
            graph.string(2, spec.name)
            for t in ordered { graph.message(5) { writeTensor(t, to: &$0) } }
            graph.message(11) { writeValueInfo(name: inputName, dims: [.param("N")] + spec.input.map { .value($0) }, to: &$0) }
            graph.message(12) { writeValueInfo(name: outputName, dims: [.param("N"), .value(classes)], to: &$0) }
        }
        model.message(8) { opset in                               // opset_import (default domain)
            opset.string(1, "")
            opset.int(2, opsetVersion)
        }
        let metadata: [(String, String)] = [
            ("labels", JSONValue.array(labels.map { .string($0) }).text),
            ("normalization", normalization.json.text),
            ("normalization_formula", "input = (pixel * scale - mean) / std, pixel = 8-bit gray 0...255"),
            ("spec", spec.jsonText),
        ]
        for (k, v) in metadata {
            model.message(14) { entry in entry.string(1, k); entry.string(2, v) }
        }
        return model.bytes
    }

    // MARK: Graph

    enum Dim { case value(Int), param(String) }

    enum Attribute {
        case int(String, Int)
        case float(String, Float)
        case ints(String, [Int])

        func write(to w: inout ProtobufWriter) {
            switch self {
            case let .int(name, v): w.string(1, name); w.int(20, 2); w.int(3, v)      // type INT
            case let .float(name, v): w.string(1, name); w.int(20, 1); w.float(2, v)  // type FLOAT
            case let .ints(name, v): w.string(1, name); w.int(20, 7); w.packedInts(8, v)  // type INTS
            }
        }
    }

    struct Node {
        var op: String
        var inputs: [String]
        var output: String
        var attributes: [Attribute] = []

        func write(to w: inout ProtobufWriter) {
            for i in inputs { w.string(1, i) }
            w.string(2, output)
            w.string(3, output)  // node name = its output's name (unique)
            w.string(4, op)
            for a in attributes { w.message(5) { a.write(to: &$0) } }
        }
    }

    /// The nodes for the spec, ending in Softmax → "probabilities".
    static func graphNodes(_ spec: ModelSpec) -> [Node] {
        var nodes: [Node] = []
        var current = inputName
        func add(_ op: String, _ extraInputs: [String] = [], _ attributes: [Attribute] = [], tag: String) {
            let out = "\(nodes.count)_\(tag)"
            nodes.append(Node(op: op, inputs: [current] + extraInputs, output: out, attributes: attributes))
            current = out
        }
        for layer in spec.layers {
            switch layer {
            case let .conv2d(name, _, k, s, p):
                add("Conv", [name + ".weight", name + ".bias"],
                    [.ints("kernel_shape", [k, k]), .ints("strides", [s, s]), .ints("pads", [p, p, p, p])], tag: name)
            case let .batchNorm(name, epsilon, _):
                add("BatchNormalization", [name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var"],
                    [.float("epsilon", epsilon)], tag: name)
            case .relu:
                add("Relu", tag: "relu")
            case let .maxPool(k, s):
                add("MaxPool", [], [.ints("kernel_shape", [k, k]), .ints("strides", [s, s])], tag: "maxpool")
            case let .avgPool(k, s):
                add("AveragePool", [], [.ints("kernel_shape", [k, k]), .ints("strides", [s, s])], tag: "avgpool")
            case .globalAvgPool:
                add("GlobalAveragePool", tag: "globalavgpool")   // (N, C, 1, 1)
                add("Flatten", [], [.int("axis", 1)], tag: "flatten")  // (N, C), as the spec's shape [C]
            case .flatten:
                add("Flatten", [], [.int("axis", 1)], tag: "flatten")
            case let .dense(name, _):
                add("Gemm", [name + ".weight", name + ".bias"], [.int("transB", 1)], tag: name)
            case .dropout:
                break  // identity at inference
            }
        }
        nodes.append(Node(op: "Softmax", inputs: [current], output: outputName, attributes: [.int("axis", 1)]))
        return nodes
    }

    static func writeTensor(_ t: NamedTensor, to w: inout ProtobufWriter) {
        w.packedInts(1, t.shape)  // dims
        w.int(2, 1)               // data_type FLOAT
        w.string(8, t.name)
        var raw: [UInt8] = []
        SafeTensors.appendLittleEndian(t.values, to: &raw)
        w.bytes(9, raw)           // raw_data, little-endian
    }

    static func writeValueInfo(name: String, dims: [Dim], to w: inout ProtobufWriter) {
        w.string(1, name)
        w.message(2) { type in                  // TypeProto
            type.message(1) { tensor in         // tensor_type
                tensor.int(1, 1)                // elem_type FLOAT
                tensor.message(2) { shape in    // TensorShapeProto
                    for d in dims {
                        shape.message(1) { dim in
                            switch d {
                            case .value(let v): dim.int(1, v)
                            case .param(let p): dim.string(2, p)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ONNXExporter {
    /// Exports a loaded model file and writes the ONNX file atomically
    /// (temporary file + rename, missing folders created). Returns the size in bytes.
    @discardableResult
    public static func export(_ model: LoadedModel, to url: URL) throws(ONNXExportError) -> Int {
        guard !model.isEnsemble else {
            throw ONNXExportError(message: "the model is an ensemble of \(model.members.count) networks; ONNX export takes one network (export each member's own model file, e.g. the best.safetensors of its training run)")
        }
        let bytes = try export(spec: model.spec, tensors: model.tensors, normalization: model.normalization, labels: model.labels)
        do { try FileBytes.writeAtomically(bytes, to: url) } catch {
            throw ONNXExportError(message: "\(url.relativePath): \(error.problem.message)")
        }
        return bytes.count
    }
}

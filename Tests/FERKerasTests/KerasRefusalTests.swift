// What `fer-train import` refuses, each from a small file the test writes
// (h5py, from the tests' .venv) or cuts from a fixture: the exit code, the
// message naming the layer, its class and its position, and no output file.
import Foundation
import Testing

@Suite struct KerasRefusalTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The spec for write_keras_h5.py (model_config and weights), as JSON text.
        var spec: String
        var status: Int32
        var says: [String]
        var testDescription: String { name }
    }

    static let input = #"{"class_name": "InputLayer", "config": {"batch_shape": [null, 48, 48, 1], "name": "face"}}"#
    static func sequential(_ layers: String...) -> String {
        #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["# + layers.joined(separator: ", ") + "]}}"
    }
    static let conv = #"{"class_name": "Conv2D", "config": {"name": "conv", "filters": 8, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [2, 2], "activation": "relu", "use_bias": true}}"#

    static let cases = [
        Case(name: "an unsupported layer class",
             spec: #"{"model_config": \#(sequential(input, #"{"class_name": "LeakyReLU", "config": {"name": "leaky", "negative_slope": 0.3}}"#))}"#,
             status: 65, says: [#"layer 2 "leaky" (LeakyReLU)"#, "not supported", "Conv2D"]),
        Case(name: "an RGB input",
             spec: #"{"model_config": \#(sequential(#"{"class_name": "InputLayer", "config": {"batch_shape": [null, 48, 48, 3], "name": "rgb"}}"#))}"#,
             status: 65, says: ["3 channels (RGB)", "gray"]),
        Case(name: "dilation 2",
             spec: #"{"model_config": \#(sequential(input, conv))}"#,
             status: 65, says: [#"layer 2 "conv" (Conv2D)"#, "dilation_rate 2"]),
        Case(name: "a graph that is not a chain",
             spec: #"""
             {"model_config": {"class_name": "Functional", "config": {"name": "g", "layers": [
               {"class_name": "InputLayer", "name": "face", "config": {"batch_shape": [null, 48, 48, 1], "name": "face"}, "inbound_nodes": []},
               {"class_name": "Conv2D", "name": "a", "config": {"name": "a", "filters": 4, "kernel_size": [3, 3]}, "inbound_nodes": [[["face", 0, 0, {}]]]},
               {"class_name": "Conv2D", "name": "b", "config": {"name": "b", "filters": 4, "kernel_size": [3, 3]}, "inbound_nodes": [[["face", 0, 0, {}]]]},
               {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]}],
               "input_layers": [["face", 0, 0]], "output_layers": [["sum", 0, 0]]}}}
             """#,
             status: 65, says: ["not a plain chain", #"layer 3 "b" (Conv2D)"#, "face"]),
        Case(name: "ten outputs",
             spec: #"{"model_config": \#(sequential(#"{"class_name": "InputLayer", "config": {"batch_shape": [null, 4, 4, 1], "name": "face"}}"#, #"{"class_name": "Flatten", "config": {"name": "flatten"}}"#, #"{"class_name": "Dense", "config": {"name": "dense", "units": 10, "activation": "softmax"}}"#)), "weights": {"dense": {"kernel": [16, 10], "bias": [10]}}}"#,
             status: 65, says: ["10 outputs", "7"]),
        Case(name: "weights only (no model_config)",
             spec: #"{"model_config": null}"#,
             status: 65, says: ["no model_config", "model.save"]),
    ]

    /// Runs `fer-train import FILE --labels fer2013 --out OUT` and checks the refusal: status, message, no OUT.
    func expectRefusal(_ file: String, status: Int32, says: [String], labels: [String] = ["--labels", "fer2013"]) throws {
        let folder = KerasTestSupport.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.safetensors").path
        let r = try KerasTestSupport.run(try KerasTestSupport.binary("fer-train"), ["import", file] + labels + ["--out", out])
        #expect(r.status == status, "exit \(r.status), stderr: \(r.stderr)")
        for s in says { #expect(r.stderr.contains(s), "stderr lacks \"\(s)\": \(r.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out), "a refused import must write nothing")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [], "no temporary file may be left")
    }

    @Test(arguments: cases)
    func refusesWhatItCannotRepresent(_ c: Case) throws {
        let folder = KerasTestSupport.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("spec.json"), file = folder.appendingPathComponent("model.h5").path
        try Data(c.spec.utf8).write(to: spec)
        let script = KerasTestSupport.packageRoot.appendingPathComponent("Tests/FERKerasTests/Python/write_keras_h5.py").path
        let made = try KerasTestSupport.run(try KerasTestSupport.python(), [script, file, spec.path])
        try #require(made.status == 0, "write_keras_h5.py: \(made.stderr)")
        try expectRefusal(file, status: c.status, says: c.says)
    }

    @Test func aTruncatedFileIsMalformed() throws {
        let folder = KerasTestSupport.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["seed_A.h5", "seed_B_tf2.keras"] {
            let whole = try Data(contentsOf: URL(fileURLWithPath: try KerasTestSupport.fixture(name)))
            let cut = folder.appendingPathComponent("cut-" + name).path
            try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: cut))
            try expectRefusal(cut, status: 65, says: ["truncated"])
        }
    }

    @Test func aFileThatIsNotKerasOrIsMissing() throws {
        let folder = KerasTestSupport.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.h5").path
        try Data("just some text\n".utf8).write(to: URL(fileURLWithPath: text))
        try expectRefusal(text, status: 65, says: ["not a Keras model file"])
        try expectRefusal(folder.appendingPathComponent("absent.h5").path, status: 66, says: ["no such file"])
    }

    @Test func withoutLabelsItSaysWhichOrdersThereAre() throws {
        try expectRefusal(try KerasTestSupport.fixture("seed_A.h5"), status: 64, says: ["--labels", "alphabetical", "fer2013"], labels: [])
    }
}

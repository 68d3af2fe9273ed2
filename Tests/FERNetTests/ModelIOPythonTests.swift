// Interoperability with the reference implementations, run from Python helper
// scripts (Tests/FERNetTests/Python): the `safetensors` package reads our model
// files and writes files our reader accepts; `onnx.checker` accepts our ONNX
// export and onnxruntime runs it. Fails with a hint when Python or a package
// is missing (`scripts/setup --tests` installs them into .venv; see TestPython).

import Foundation
import Testing
@testable import FERNet

@Suite(.serialized) struct ModelIOPythonTests {
    @Test func pythonSafetensorsReadsOurModelFile() throws {
        if let missing = ModelIOFixtures.pythonMissing(["safetensors", "numpy"]) { Issue.record(Comment(rawValue: missing)); return }
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.safetensors")
        let spec = ModelIOFixtures.smallSpec
        let tensors = try ModelIOFixtures.tensors(for: spec)
        try ModelFile.save(spec: spec, tensors: tensors, normalization: ModelIOFixtures.normalization,
                           provenance: ModelIOFixtures.provenance, to: url)

        let result = try ModelIOFixtures.runScript("read_safetensors.py", [url.path])
        try #require(result.status == 0, "read_safetensors.py failed: \(result.stderr)")
        let parsed = try JSONValue.parse(bytes: [UInt8](result.stdout))
        let top = Dictionary(uniqueKeysWithValues: try #require(parsed.objectValue))
        let metadata = Dictionary(uniqueKeysWithValues: try #require(top["metadata"]?.objectValue).map { ($0.0, $0.1.stringValue ?? "") })
        #expect(metadata == (try SafeTensors.read(from: url)).metadata)
        #expect(metadata["format"] == "fer-cam-model")

        let read = Dictionary(uniqueKeysWithValues: try #require(top["tensors"]?.objectValue))
        #expect(Set(read.keys) == Set(tensors.map(\.name)))
        var maxDiff: Float = 0
        for t in tensors {
            let entry = Dictionary(uniqueKeysWithValues: try #require(read[t.name]?.objectValue))
            #expect(entry["dtype"]?.stringValue == "float32")
            #expect(entry["shape"]?.arrayValue?.compactMap(\.intValue) == t.shape, "\(t.name)")
            let values = try #require(entry["values"]?.arrayValue).compactMap(\.floatValue)
            #expect(values.count == t.values.count)
            for (a, b) in zip(values, t.values) { maxDiff = max(maxDiff, abs(a - b)) }
            #expect(values == t.values, "\(t.name)")
        }
        print("python safetensors read \(tensors.count) tensors; max difference \(maxDiff)")
    }

    @Test func ourReaderAcceptsFilesWrittenByPythonSafetensors() throws {
        if let missing = ModelIOFixtures.pythonMissing(["safetensors", "numpy"]) { Issue.record(Comment(rawValue: missing)); return }
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("py.safetensors")
        // A real model's content, written by the reference implementation.
        let content = try SafeTensors.decode(try ModelFile.encode(
            spec: ModelIOFixtures.smallSpec, tensors: try ModelIOFixtures.tensors(for: ModelIOFixtures.smallSpec),
            normalization: ModelIOFixtures.normalization, provenance: ModelIOFixtures.provenance))
        let description = JSONValue.object([
            ("metadata", .object(content.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("tensors", .object(content.tensors.map { t in
                (t.name, .object([("shape", .array(t.shape.map { .int($0) })), ("values", .array(t.values.map { .float($0) }))]))
            })),
        ])
        let result = try ModelIOFixtures.runScript("write_safetensors.py", [url.path], stdin: Data(description.text.utf8))
        try #require(result.status == 0, "write_safetensors.py failed: \(result.stderr)")

        let loaded = try ModelFile.load(from: url)
        #expect(loaded.spec == ModelIOFixtures.smallSpec)
        #expect(loaded.provenance == ModelIOFixtures.provenance)
        #expect(loaded.tensors == content.tensors)  // spec order, same values
    }

    @Test(arguments: [ModelIOFixtures.smallSpec, ModelIOFixtures.gapSpec])
    func onnxExportPassesTheCheckerAndRuns(_ spec: ModelSpec) throws {
        if let missing = ModelIOFixtures.pythonMissing(["onnx", "onnxruntime", "numpy"]) { Issue.record(Comment(rawValue: missing)); return }
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.onnx")
        let bytes = try ONNXExporter.export(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec), normalization: ModelIOFixtures.normalization)
        try Data(bytes).write(to: url)

        let result = try ModelIOFixtures.runScript("check_onnx.py", [url.path])
        try #require(result.status == 0, "check_onnx.py failed: \(result.stderr)")
        let report = Dictionary(uniqueKeysWithValues: try #require(try JSONValue.parse(bytes: [UInt8](result.stdout)).objectValue))
        #expect(report["ir_version"]?.intValue == 7)
        #expect(report["opsets"] == .object([("", .int(13))]))
        let ops = report["ops"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ops.last == "Softmax")
        #expect(!ops.contains("Dropout"))
        #expect(report["inputs"] == .object([("input", .array([.string("N")] + spec.input.map { .int($0) }))]))
        #expect(report["outputs"] == .object([("probabilities", .array([.string("N"), .int(7)]))]))
        let initializers = report["initializers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(initializers == (try spec.parameterShapes()).map(\.name).sorted())

        let metadata = Dictionary(uniqueKeysWithValues: report["metadata"]?.objectValue?.map { ($0.0, $0.1.stringValue ?? "") } ?? [])
        #expect(metadata["labels"] == JSONValue.array(Emotion.names.map { .string($0) }).text)
        let norm = try JSONValue.parse(metadata["normalization"] ?? "")
        #expect(ModelFile.Key.normalization == "normalization")
        #expect(Dictionary(uniqueKeysWithValues: norm.objectValue ?? []).mapValues { $0.floatValue } ==
                ["scale": ModelIOFixtures.normalization.scale, "mean": ModelIOFixtures.normalization.mean, "std": ModelIOFixtures.normalization.std])
        #expect(try ModelSpec(jsonText: metadata["spec"] ?? "") == spec)

        // Dynamic batch: N = 1 and N = 3 both run; rows are probabilities.
        let runs = Dictionary(uniqueKeysWithValues: report["runs"]?.objectValue ?? [])
        for n in [1, 3] {
            let run = Dictionary(uniqueKeysWithValues: runs[String(n)]?.objectValue ?? [])
            #expect(run["shape"]?.arrayValue?.compactMap(\.intValue) == [n, 7])
            for sum in run["row_sums"]?.arrayValue?.compactMap(\.floatValue) ?? [] { #expect(abs(sum - 1) < 1e-5) }
        }
    }
}

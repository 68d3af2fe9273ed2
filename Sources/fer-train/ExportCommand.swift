// `fer-train export --model PATH --onnx OUT`: converts a fer-cam model file
// into an ONNX model (opset 13) for onnxruntime and other tools. Argument
// parsing and wiring only; the work is FERNet's ModelFile and ONNXExporter.
// Exit codes: 66 model file missing, 78 model file invalid, 64 an ensemble
// (one ONNX graph per network: export each member's file), 73 cannot write.

import ArgumentParser
import FERNet
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a model file to ONNX (opset 13; input (N,1,48,48), output probabilities (N,7)).",
        discussion: "Normalization and labels are stored in the ONNX metadata_props. Dropout is left out (inference graph).")

    @Option(name: .long, help: "Model file to export.")
    var model: String = ModelFile.defaultPath

    @Option(name: .long, help: "ONNX file to write (replaced atomically).")
    var onnx: String

    func validate() throws {
        guard !model.isEmpty else { throw ValidationError("--model must not be empty") }
        guard !onnx.isEmpty else { throw ValidationError("--onnx must not be empty") }
        guard URL(fileURLWithPath: onnx).standardizedFileURL != URL(fileURLWithPath: model).standardizedFileURL else {
            throw ValidationError("--onnx \(onnx) would overwrite the model file; choose another path")
        }
    }

    func run() throws {
        let loaded: LoadedModel
        do {
            loaded = try ModelFile.load(from: URL(fileURLWithPath: model))
        } catch {
            FileHandle.standardError.write(Data("fer-train export: \(error)\n".utf8))
            throw ExitCode(error.problem == .fileMissing ? 66 : 78)
        }
        guard !loaded.isEnsemble else {
            FileHandle.standardError.write(Data("fer-train export: \(model) is an ensemble of \(loaded.architecture); export takes one network: export each member's own model file (its provenance names them: member0.file, ...)\n".utf8))
            throw ExitCode(64)
        }
        let url = URL(fileURLWithPath: onnx)
        let size: Int
        do {
            size = try ONNXExporter.export(loaded, to: url)
        } catch {
            FileHandle.standardError.write(Data("fer-train export: \(error)\n".utf8))
            throw ExitCode(73)
        }
        let input = (["N"] + loaded.spec.input.map(String.init)).joined(separator: ",")
        let classes = (try? loaded.spec.outputCount()) ?? loaded.labels.count
        print("wrote \(onnx) (\(size) bytes, ONNX opset \(ONNXExporter.opsetVersion)): \(loaded.spec.name), input \"\(ONNXExporter.inputName)\" (\(input)), output \"\(ONNXExporter.outputName)\" (N,\(classes))")
    }
}

// `fer-train import MODEL.h5|MODEL.keras --out NAME.safetensors --labels ORDER`:
// turns a Keras model file into a fer-cam model file. Argument parsing and
// wiring only; the work is FERKeras (reading, converting) and FERNet's
// ModelFile (the atomic write: nothing is written on failure).
// Exit codes: 64 usage (no or bad --labels / --normalization), 65 a layer or
// option fer-cam cannot represent, or a malformed file, 66 file missing, 73 cannot write.

import ArgumentParser
import FERKeras
import FERNet
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Keras .h5 or .keras model into a fer-cam model file.",
        discussion: """
        Examples:
          # a model trained on the FER2013 CSV (outputs in FER2013's order), fed pixel/255
          fer-train import seed_A.h5 --labels fer2013 --out models/seed-a.safetensors
          # a model trained with flow_from_directory (class folders sorted by name)
          fer-train import model.keras --labels alphabetical --out models/mine.safetensors
          fer-train eval --model models/mine.safetensors --data ../shared/data/fer2013/fer2013.csv.gz
          fer-cam 0 --model models/mine.safetensors

        Reads legacy HDF5 (.h5 from model.save in tf.keras 2 or Keras 3) and the Keras v3
        .keras zip. The model must be a chain (Sequential, or a Functional that is one) of
        InputLayer, Conv2D (valid/same, dilation 1), BatchNormalization, Activation/ReLU,
        MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Dropout, Flatten and Dense
        (relu; softmax last), with a gray (1-channel) square input and 7 outputs.
        Kernels are converted from Keras's channels-last layout; the result is an
        ordinary fer-cam model with its outputs in fer-cam's order (angry, disgust, fear,
        happy, sad, surprise, neutral). Its metadata records the source file, its sha256
        and the Keras version.

        --labels has no default: a wrong guess swaps emotions silently. Keras scripts
        that use flow_from_directory output the class folders in alphabetical order;
        scripts that read fer2013.csv output FER2013's order.
        """)

    @Argument(help: "The Keras model file (.h5 or .keras).") var keras: String
    @Option(help: "The fer-cam model file to write (replaced atomically; nothing is written on failure).") var out: String
    @Option(help: ArgumentHelp("What the model's outputs mean, in its order: \(KerasLabelOrder.choices).", valueName: "order"))
    var labels: String?
    @Option(help: ArgumentHelp("How the model expects its pixels: \(KerasNormalization.choices).", valueName: "how"))
    var normalization: String = "unit"

    func validate() throws {
        guard URL(fileURLWithPath: out).standardizedFileURL != URL(fileURLWithPath: keras).standardizedFileURL else {
            throw ValidationError("--out \(out) is the Keras file itself; write the fer-cam model to another path")
        }
    }

    func run() throws {
        guard let labels else {
            FileHandle.standardError.write(Data("fer-train import: say what the model's outputs are with --labels: \(KerasLabelOrder.choices). Keras scripts using flow_from_directory give alphabetical; scripts reading fer2013.csv give fer2013.\n".utf8))
            throw ExitCode(64)
        }
        do throws(KerasImportError) {
            let order = try KerasLabelOrder(parsing: labels, path: keras)
            let norm = try KerasNormalization(parsing: normalization, path: keras)
            let command = (["fer-train"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let imported = try KerasImporter.load(keras, labels: order, normalization: norm, command: command)
            do {
                try ModelFile.save(imported.model, to: URL(fileURLWithPath: out))
            } catch {
                throw KerasImportError(path: keras, kind: error.problem.isWrite ? .writeFailed : .malformed, message: "\(error)")
            }
            print("read \(imported.source)")
            for note in imported.notes { print("note: \(note)") }
            let side = imported.model.spec.input[1]
            print("wrote \(out): \(imported.model.architecture), input \(side)×\(side) gray, normalization \(norm.name), outputs \(order.text) → fer-cam's order")
        } catch {
            FileHandle.standardError.write(Data("fer-train import: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}

extension ModelFileError.Problem {
    fileprivate var isWrite: Bool {
        if case .writeFailed = self { return true }
        return false
    }
}

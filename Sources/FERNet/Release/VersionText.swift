// What `--version` prints for fer-cam and fer-train: the program, FERVersion,
// the default model's file name with its SHA-256 (SHA256.hex) and path, and the
// libraries the program opens only when it needs them, e.g.
//   fer-cam 1.0.0
//   model emotion-cnn.safetensors sha256 3f2a… (/usr/share/fer-cam/models/emotion-cnn.safetensors)
//   loads on demand: libopencv_imgcodecs.so.406 libavformat.so.59 …
// A missing or unreadable model is reported on the model line; the version
// still prints. It does not parse other arguments or load the model.
import Foundation

public enum VersionText {
    /// The lines for `program`, the model at `modelPath` (nil: none found among `tried`) and the
    /// sonames it opens on demand (no line when there are none).
    public static func text(program: String, modelPath: String?, tried: [String] = [], onDemand: [String] = []) -> String {
        let libraries = onDemand.isEmpty ? "" : "loads on demand: \(onDemand.joined(separator: " "))\n"
        let out = "\(program) \(FERVersion.number)\n"
        guard let modelPath else {
            return out + "model \(DefaultModelPaths.fileName) not found (tried \(tried.joined(separator: ", ")))\n" + libraries
        }
        let name = (modelPath as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: modelPath) else {
            return out + "model \(name) unreadable (\(modelPath)): check its permissions\n" + libraries
        }
        return out + "model \(name) sha256 \(SHA256.hex(of: [UInt8](data))) (\(modelPath))\n" + libraries
    }

    /// The text for the default model of the running executable (DefaultModelPaths).
    public static func forDefaultModel(program: String, onDemand: [String] = []) -> String {
        let tried = DefaultModelPaths.candidatesForThisProcess()
        return text(program: program, modelPath: tried.first { FileManager.default.fileExists(atPath: $0) }, tried: tried,
                    onDemand: onDemand)
    }

    /// True (after printing the text) when the arguments are exactly `PROGRAM --version`.
    public static func printIfAsked(_ arguments: [String] = CommandLine.arguments, program: String,
                                    onDemand: [String] = []) -> Bool {
        guard arguments.count == 2, arguments[1] == "--version" else { return false }
        print(forDefaultModel(program: program, onDemand: onDemand), terminator: "")
        return true
    }
}

// What `--version` prints for fer-cam and fer-train: the program, FERVersion, and
// the default model's file name with its SHA-256 (SHA256.hex) and path, e.g.
//   fer-cam 1.0.0
//   model emotion-cnn.safetensors sha256 3f2a… (/usr/share/fer-cam/models/emotion-cnn.safetensors)
// A missing or unreadable model is reported on the model line; the version
// still prints. It does not parse other arguments or load the model.
import Foundation

public enum VersionText {
    /// The two lines for `program` and the model at `modelPath` (nil: none found among `tried`).
    public static func text(program: String, modelPath: String?, tried: [String] = []) -> String {
        var out = "\(program) \(FERVersion.number)\n"
        guard let modelPath else {
            return out + "model \(DefaultModelPaths.fileName) not found (tried \(tried.joined(separator: ", ")))\n"
        }
        let name = (modelPath as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: modelPath) else {
            return out + "model \(name) unreadable (\(modelPath)): check its permissions\n"
        }
        out += "model \(name) sha256 \(SHA256.hex(of: [UInt8](data))) (\(modelPath))\n"
        return out
    }

    /// The text for the default model of the running executable (DefaultModelPaths).
    public static func forDefaultModel(program: String) -> String {
        let tried = DefaultModelPaths.candidatesForThisProcess()
        return text(program: program, modelPath: tried.first { FileManager.default.fileExists(atPath: $0) }, tried: tried)
    }

    /// True (after printing the text) when the arguments are exactly `PROGRAM --version`.
    public static func printIfAsked(_ arguments: [String] = CommandLine.arguments, program: String) -> Bool {
        guard arguments.count == 2, arguments[1] == "--version" else { return false }
        print(forDefaultModel(program: program), terminator: "")
        return true
    }
}

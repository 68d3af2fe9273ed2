// Finds the emotion model file: --model if given (no fallback), otherwise
// models/emotion-cnn.safetensors under the package root of the running
// executable (…/.build/release/fer-cam → the checkout), then where `make install`
// puts it (PREFIX/share/fer-cam, beside PREFIX/bin/fer-cam), then under the
// current directory. A missing file is an error naming every place tried and how to
// get a model (exit 66). It does not load the file.
import Foundation

public enum ModelLocator {
    public static let defaultRelativePath = "models/emotion-cnn.safetensors"

    /// The package root above an executable in .build/…, if any (a directory holding Package.swift).
    public static func packageRoot(executable: String = CommandLine.arguments.first ?? "") -> String? {
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return nil
    }

    /// PREFIX/share/fer-cam for an executable installed as PREFIX/bin/fer-cam (see the Makefile).
    public static func installedDataDirectory(executable: String = CommandLine.arguments.first ?? "") -> String {
        URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/fer-cam").path
    }

    public static func candidates(flag: String?, packageRoot: String?, installedData: String? = nil,
                                  currentDirectory: String) -> [String] {
        if let flag { return [flag] }
        var out: [String] = []
        if let root = packageRoot { out.append((root as NSString).appendingPathComponent(defaultRelativePath)) }
        if let share = installedData { out.append((share as NSString).appendingPathComponent(defaultRelativePath)) }
        let cwd = (currentDirectory as NSString).appendingPathComponent(defaultRelativePath)
        if !out.contains(cwd) { out.append(cwd) }
        return out
    }

    public static func resolve(flag: String?, packageRoot: String? = ModelLocator.packageRoot(),
                               installedData: String? = ModelLocator.installedDataDirectory(),
                               currentDirectory: String = FileManager.default.currentDirectoryPath) throws(CamError) -> String {
        let tried = candidates(flag: flag, packageRoot: packageRoot, installedData: installedData, currentDirectory: currentDirectory)
        if let found = tried.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        if flag != nil {
            throw .inputMissing("model file \(tried[0]) (from --model): no such file; fix the path, or drop --model to use \(defaultRelativePath)")
        }
        throw .inputMissing("model file not found; tried \(tried.joined(separator: ", ")). Train one with `fer-train train --model-out \(defaultRelativePath)`, "
            + "or pass --model PATH")
    }
}

// Finds the emotion model file: --model if given (no fallback), otherwise
// models/emotion-cnn.safetensors under the package root of the running
// executable (…/.build/release/fer-cam → the checkout), then where `make install`
// puts it (PREFIX/share/fer-cam, beside PREFIX/bin/fer-cam), then under the
// current directory (the order is FERNet's DefaultModelPaths, which --version
// shares). A missing file is an error naming every place tried and how to
// get a model (exit 66). It does not load the file.
import FERNet
import Foundation

public enum ModelLocator {
    public static let defaultRelativePath = DefaultModelPaths.relativePath

    /// The package root above an executable in .build/…, if any (DefaultModelPaths).
    public static func packageRoot(executable: String = DefaultModelPaths.currentExecutable()) -> String? {
        DefaultModelPaths.packageRoot(executable: executable)
    }

    /// PREFIX/share/fer-cam for an executable installed as PREFIX/bin/fer-cam (see the Makefile).
    public static func installedDataDirectory(executable: String = DefaultModelPaths.currentExecutable()) -> String {
        DefaultModelPaths.installedDataDirectory(executable: executable)
    }

    public static func candidates(flag: String?, packageRoot: String?, installedData: String? = nil,
                                  currentDirectory: String) -> [String] {
        if let flag { return [flag] }
        return DefaultModelPaths.candidates(packageRoot: packageRoot, installedData: installedData, currentDirectory: currentDirectory)
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

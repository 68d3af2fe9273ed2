// Where the default model file is looked for when no --model is given: under the
// package root of the running executable (…/.build/release/fer-cam → the
// checkout), then PREFIX/share/fer-cam beside PREFIX/bin (`make install`, the
// Debian package's /usr/share/fer-cam), then under the current directory.
// Only path arithmetic; it neither checks that files exist nor reads them
// (FERCam's ModelLocator resolves and reports, VersionText hashes).
import Foundation

public enum DefaultModelPaths {
    public static let relativePath = "models/emotion-cnn.safetensors"
    public static var fileName: String { (relativePath as NSString).lastPathComponent }

    /// The running executable's absolute path: /proc/self/exe, so a binary started
    /// through $PATH (argv[0] "fer-cam") still finds PREFIX/share; argv[0] if that fails.
    public static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? (CommandLine.arguments.first ?? "")
    }

    /// The package root above an executable in .build/…, if any (a directory holding Package.swift).
    public static func packageRoot(executable: String = DefaultModelPaths.currentExecutable()) -> String? {
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return nil
    }

    /// PREFIX/share/fer-cam for an executable installed as PREFIX/bin/NAME.
    public static func installedDataDirectory(executable: String = DefaultModelPaths.currentExecutable()) -> String {
        URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/fer-cam").path
    }

    /// The places tried, in order, without duplicates.
    public static func candidates(packageRoot: String?, installedData: String?, currentDirectory: String) -> [String] {
        var out: [String] = []
        if let root = packageRoot { out.append((root as NSString).appendingPathComponent(relativePath)) }
        if let share = installedData { out.append((share as NSString).appendingPathComponent(relativePath)) }
        let cwd = (currentDirectory as NSString).appendingPathComponent(relativePath)
        if !out.contains(cwd) { out.append(cwd) }
        return out
    }

    /// The candidates for the running executable.
    public static func candidatesForThisProcess() -> [String] {
        candidates(packageRoot: packageRoot(), installedData: installedDataDirectory(),
                   currentDirectory: FileManager.default.currentDirectoryPath)
    }
}

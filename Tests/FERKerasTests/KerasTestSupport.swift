// Paths and runners for the Keras import tests: the shared fixtures
// (../shared/fixtures), the release binaries (fer-train, fer-cam), the tests'
// Python (.venv), a process runner whose output goes through files, and the
// first PublicTest faces of FER2013. No assertions here.
import FERHarness
import FERNet
import FERTraining
import Foundation
import Testing

enum KerasTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let fer2013 = shared.appendingPathComponent("data/fer2013/fer2013.csv.gz").path

    struct Missing: Error, CustomStringConvertible { var description: String }

    /// A file of ../shared/fixtures; a clear error when the shared folder is missing.
    static func fixture(_ name: String) throws -> String {
        let p = shared.appendingPathComponent("fixtures/\(name)").path
        guard FileManager.default.fileExists(atPath: p) else {
            throw Missing(description: "missing fixture \(p): the suite expects the shared data next to the checkout (../shared/fixtures)")
        }
        return p
    }

    /// The release binary of `product` ($FERTRAIN_BINARY / $FERCAM_BINARY first: the sanitized builds).
    static func binary(_ product: String) throws -> String {
        let variable = product == "fer-train" ? "FERTRAIN_BINARY" : "FERCAM_BINARY"
        if let forced = ProcessInfo.processInfo.environment[variable], !forced.isEmpty { return forced }
        let path = packageRoot.appendingPathComponent(".build/release/\(product)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "\(path) not found; run `swift build -c release --product \(product)` (scripts/test does)")
        }
        return path
    }

    static func python() throws -> String {
        let path = packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "the tests' Python \(path) is missing; run `scripts/setup --tests`")
        }
        return path
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Runs `path` with `arguments` to completion; stdout and stderr through temp files (no pipe can fill).
    static func run(_ path: String, _ arguments: [String]) throws -> Result {
        let folder = tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout").path, err = folder.appendingPathComponent("stderr").path
        let process = try SpawnedProcess(path, arguments, stdout: out, stderr: err)
        let status = process.wait()
        func text(_ p: String) -> String { (try? String(contentsOfFile: p, encoding: .utf8)) ?? "" }
        return Result(status: status, stdout: text(out), stderr: text(err))
    }

    static func tempFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fer-keras-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// FER2013's PublicTest split, loaded once per test process.
    static let publicTest: Swift.Result<FaceDataset, Error> = Swift.Result {
        guard FileManager.default.fileExists(atPath: fer2013) else { throw Missing(description: "missing \(fer2013) (../shared/data)") }
        return try DataSource.load(fer2013).split("PublicTest")
    }

    /// A fixture's reference probabilities: one row of 7 per face, in the CSV's column order.
    static func referenceProbabilities(_ name: String) throws -> [[Float]] {
        let text = try String(contentsOfFile: try fixture(name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",").dropFirst(2).map { Float($0)! }
        }
    }
}

// Shared fixtures of the ModelIO tests (specs, seeded tensors, temp folders,
// the process runner the Python helpers go through, FER2013 faces) and the
// tests of ModelSpec.parameterShapes() and of TestPython (it runs the .venv
// interpreter; large output on both streams and the exit status come back).
// Which Python runs is decided in TestSupport.swift, not here.

import Foundation
import Testing
@testable import FERNet

enum ModelIOFixtures {
    /// A small VGG-like spec touching every layer kind the file and ONNX support.
    static let smallSpec = ModelSpec(name: "test-vgg", input: [1, 12, 12], layers: [
        .conv2d(name: "conv1", outChannels: 4, kernel: 3, stride: 1, padding: 1),
        .batchNorm(name: "bn1", epsilon: 1e-5, momentum: 0.1),
        .relu,
        .maxPool(kernel: 2, stride: 2),                  // (4, 6, 6)
        .conv2d(name: "conv2", outChannels: 6, kernel: 3, stride: 1, padding: 0),  // (6, 4, 4)
        .relu,
        .avgPool(kernel: 2, stride: 2),                  // (6, 2, 2)
        .dropout(rate: 0.25),
        .flatten,                                        // (24)
        .dense(name: "fc1", outFeatures: 5),
        .batchNorm(name: "bn2", epsilon: 1e-3, momentum: 0.01),
        .relu,
        .dense(name: "fc2", outFeatures: 7),
    ])

    /// A spec ending in global average pooling, for the ONNX exporter.
    static let gapSpec = ModelSpec(name: "test-gap", input: [1, 8, 8], layers: [
        .conv2d(name: "conv1", outChannels: 3, kernel: 3, stride: 2, padding: 1),  // (3, 4, 4)
        .relu,
        .globalAvgPool,                                  // (3)
        .dense(name: "fc", outFeatures: 7),
    ])

    /// Deterministic pseudo-random tensors for every parameter of `spec`;
    /// running variances are positive.
    static func tensors(for spec: ModelSpec, seed: UInt64 = 1) throws -> [NamedTensor] {
        var rng = SplitMix64(seed: seed)
        return try spec.parameterShapes().map { name, shape in
            let n = shape.reduce(1, *)
            let values = (0..<n).map { _ -> Float in
                let u = rng.nextFloat()  // [0, 1)
                return name.hasSuffix("running_var") ? 0.5 + u : (u - 0.5) * 0.8
            }
            return NamedTensor(name: name, shape: shape, values: values)
        }
    }

    static let provenance = ["data": "fer2013 Training rows 1-28709", "recipe": "test recipe",
                             "command": "fer-train train --arch test-vgg", "accuracy": "0.123 ± 0.004",
                             "date": "2026-11-21T09:00:00Z", "note": "ünïcode \"quoted\"\nnewline"]
    static let normalization = InputNormalization(scale: 1.0 / 255.0, mean: 0.5, std: 0.25)

    /// A fresh empty folder under the system temp folder.
    static func tempFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fernet-modelio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pythonFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python")

    struct ProcessResult { var status: Int32; var stdout: Data; var stderr: String }

    /// Runs a program, feeding `stdin`, and collects its output (through
    /// temporary files, so no pipe can fill up and block either side).
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        let folder = try tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("stdin"), outURL = folder.appendingPathComponent("stdout"),
            errURL = folder.appendingPathComponent("stderr")
        try (stdin ?? Data()).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardInput = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        return ProcessResult(status: p.terminationStatus, stdout: try Data(contentsOf: outURL),
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Checks that the tests' Python (TestPython: .venv/bin/python) can import
    /// `modules`; returns nil when it can, or the message the test should fail with.
    static func pythonMissing(_ modules: [String]) -> String? {
        let result: ProcessResult
        do {
            result = try TestPython.run(["-c", "import " + modules.joined(separator: ", ")])
        } catch {
            return "\(error)"
        }
        guard result.status == 0 else {
            let reason = result.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            return "\(TestPython.interpreter.path) cannot import \(modules.joined(separator: ", ")) (\(reason)); run `scripts/setup --tests`"
        }
        return nil
    }

    /// The FER2013 CSV in the shared data folder (../shared next to the package).
    static let fer2013 = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/fer2013/fer2013.csv.gz")

    struct Face { var label: Int; var pixels: [UInt8] }  // pixels (48 × 48), row-major

    /// The first `count` faces of FER2013 (Training rows), read with `gzip -dc | head`.
    static func fer2013Faces(count: Int) throws -> [Face] {
        guard FileManager.default.fileExists(atPath: fer2013.path) else {
            throw FixtureError("FER2013 is missing at \(fer2013.path); the tests read it from ../shared/data/fer2013 next to the package")
        }
        let result = try run(["sh", "-c", "gzip -dc \"$0\" | head -n \(count + 1)", fer2013.path])
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        guard lines.first == "emotion,pixels,Usage", lines.count == count + 1 else {
            throw FixtureError("\(fer2013.path): expected the header and \(count) rows, got \(lines.count) lines (\(result.stderr))")
        }
        return try lines.dropFirst().enumerated().map { i, line in
            let fields = line.split(separator: ",")
            guard fields.count == 3, let label = Int(fields[0]), (0..<7).contains(label) else {
                throw FixtureError("\(fer2013.path) line \(i + 2): expected emotion,pixels,Usage")
            }
            let pixels = fields[1].split(separator: " ").compactMap { UInt8($0) }
            guard pixels.count == 48 * 48 else { throw FixtureError("\(fer2013.path) line \(i + 2): \(pixels.count) pixels, expected 2304") }
            return Face(label: label, pixels: pixels)
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs one helper script from Tests/FERNetTests/Python.
    static func runScript(_ name: String, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try TestPython.run([pythonFolder.appendingPathComponent(name).path] + arguments, stdin: stdin)
    }
}

/// Small seeded generator so fixtures are reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

@Suite struct ModelIOFixtureTests {
    @Test func readsTheFirstFER2013Faces() throws {
        let faces = try ModelIOFixtures.fer2013Faces(count: 3)
        #expect(faces.count == 3)
        #expect(faces[0].label == 0)  // the first row is an angry face
        #expect(Array(faces[0].pixels.prefix(4)) == [70, 80, 82, 72])
        #expect(faces.allSatisfy { Set($0.pixels).count > 50 })  // real images, not constant
    }
}

@Suite struct ModelSpecParameterShapesTests {
    @Test func smallSpecNeedsEveryParameterInLayerOrder() throws {
        let shapes = try ModelIOFixtures.smallSpec.parameterShapes()
        #expect(shapes.map(\.name) == [
            "conv1.weight", "conv1.bias",
            "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
            "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias",
            "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var",
            "fc2.weight", "fc2.bias",
        ])
        let byName = Dictionary(uniqueKeysWithValues: shapes.map { ($0.name, $0.shape) })
        #expect(byName["conv1.weight"] == [4, 1, 3, 3])
        #expect(byName["bn1.running_var"] == [4])
        #expect(byName["conv2.weight"] == [6, 4, 3, 3])
        #expect(byName["fc1.weight"] == [5, 24])  // 6 channels × 2 × 2 after avgpool
        #expect(byName["bn2.weight"] == [5])       // batch norm on features
        #expect(byName["fc2.weight"] == [7, 5])
        #expect(byName["fc2.bias"] == [7])
    }

    @Test func globalPoolFeedsDenseWithChannels() throws {
        let shapes = try ModelIOFixtures.gapSpec.parameterShapes()
        #expect(shapes.first { $0.name == "fc.weight" }?.shape == [7, 3])
    }

    @Test func invalidSpecThrows() {
        let bad = ModelSpec(name: "bad", input: [1, 4, 4], layers: [.dense(name: "fc", outFeatures: 3)])
        #expect(throws: ModelSpecError.self) { try bad.parameterShapes() }
    }
}

/// The Python the tests run (TestPython) and the runner it goes through.
@Suite struct TestPythonTests {
    @Test func runsTheVenvInterpreter() throws {
        let r = try TestPython.run(["-c", "import sys; print(sys.prefix)"])
        #expect(r.status == 0, "\(r.stderr)")
        let prefix = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: prefix).resolvingSymlinksInPath().path == TestPython.venv.resolvingSymlinksInPath().path)
    }

    /// Far more than a pipe holds (64 KiB) on both streams, then a failing exit:
    /// all of it comes back and the status is the child's.
    @Test func collectsLargeStdoutAndStderrAndTheExitStatus() throws {
        let r = try TestPython.run(["-c", "import sys; sys.stderr.write('e' * 1_000_000); sys.stdout.write('o' * 1_000_000); sys.exit(3)"])
        #expect(r.status == 3)
        #expect(r.stdout.count == 1_000_000 && r.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(r.stderr.count == 1_000_000 && r.stderr.allSatisfy { $0 == "e" })
    }
}

// Tests of the fer-cam model file: save → load round trip, atomic writing,
// and one test per content defect (format, version, metadata, tensors).

import Foundation
import Testing
@testable import FERNet

@Suite struct ModelFileTests {
    let spec = ModelIOFixtures.smallSpec

    /// A valid file's safetensors content, for tests to damage.
    func validContent() throws -> SafeTensors {
        try SafeTensors.decode(try ModelFile.encode(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec),
                                                    normalization: ModelIOFixtures.normalization, provenance: ModelIOFixtures.provenance))
    }

    /// Writes `content` to a temp file, loads it, and returns the problem.
    func loadProblem(_ content: SafeTensors) throws -> ModelFileError.Problem? {
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.safetensors")
        try content.write(to: url)
        do { _ = try ModelFile.load(from: url); return nil } catch {
            #expect(error.path == url.relativePath)
            return error.problem
        }
    }

    func withMetadata(_ key: String, _ value: String?) throws -> SafeTensors {
        var c = try validContent()
        c.metadata[key] = value
        return c
    }

    @Test func saveThenLoadIsBitIdentical() throws {
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nested/models/emotion-cnn.safetensors")  // folders are created
        let tensors = try ModelIOFixtures.tensors(for: spec).reversed()  // any order in, spec order out
        try ModelFile.save(spec: spec, tensors: Array(tensors), normalization: ModelIOFixtures.normalization,
                           provenance: ModelIOFixtures.provenance, to: url)
        let loaded = try ModelFile.load(from: url)
        #expect(loaded.spec == spec)
        #expect(loaded.labels == Emotion.names)
        #expect(loaded.normalization == ModelIOFixtures.normalization)
        #expect(loaded.provenance == ModelIOFixtures.provenance)
        let expected = try ModelIOFixtures.tensors(for: spec)
        #expect(loaded.tensors.map(\.name) == expected.map(\.name))
        for (a, b) in zip(loaded.tensors, expected) {
            #expect(a.shape == b.shape)
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "\(a.name)")
        }
        // No temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(left == ["emotion-cnn.safetensors"])
    }

    @Test func metadataKeysAreTheDocumentedOnes() throws {
        let c = try validContent()
        #expect(c.metadata["format"] == "fer-cam-model")
        #expect(c.metadata["format_version"] == "1")
        #expect(c.metadata["labels"] == #"["angry","disgust","fear","happy","sad","surprise","neutral"]"#)
        #expect(c.metadata["normalization"] == #"{"scale":0.003921569,"mean":0.5,"std":0.25}"#)
        #expect(try ModelSpec(jsonText: c.metadata["spec"] ?? "") == spec)
        #expect(try JSONValue.parse(c.metadata["provenance"] ?? "").objectValue?.count == ModelIOFixtures.provenance.count)
    }

    @Test func savingOverAnExistingFileReplacesIt() throws {
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.safetensors")
        try Data("old".utf8).write(to: url)
        try ModelFile.save(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec, seed: 9), normalization: .init(), provenance: [:], to: url)
        #expect(try ModelFile.load(from: url).tensors == (try ModelIOFixtures.tensors(for: spec, seed: 9)))
    }

    @Test func saveRefusesWhatLoadWouldReject() throws {
        var tensors = try ModelIOFixtures.tensors(for: spec)
        tensors[0].values[3] = .nan
        do {
            _ = try ModelFile.encode(spec: spec, tensors: tensors, normalization: .init(), provenance: [:])
            Issue.record("encoded NaN weights")
        } catch {
            guard case .nonFinite(let name, let index, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(name == "conv1.weight" && index == 3)
        }
        #expect(throws: ModelFileError.self) {
            try ModelFile.encode(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec), normalization: .init(), labels: ["a"], provenance: [:])
        }
    }

    @Test func missingFileSuggestsTrainingAndTheDefaultPath() {
        do {
            _ = try ModelFile.load(from: URL(fileURLWithPath: "/nonexistent/models/x.safetensors"))
            Issue.record("loaded")
        } catch {
            #expect(error.problem == .fileMissing)
            #expect(error.description.contains("/nonexistent/models/x.safetensors"))
            #expect(error.description.contains("fer-train train"))
            #expect(error.description.contains(ModelFile.defaultPath))
        }
    }

    @Test func folderIsNotAFile() throws {
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ModelFileError(path: folder.relativePath, problem: .unreadable(reason: "it is a folder, not a file"))) {
            try ModelFile.load(from: folder)
        }
    }

    @Test func plainSafetensorsIsNotAModelFile() throws {
        #expect(try loadProblem(SafeTensors(tensors: [NamedTensor(name: "w", shape: [1], values: [1])])) == .notAModelFile(format: nil))
        #expect(try loadProblem(try withMetadata("format", "pt")) == .notAModelFile(format: "pt"))
    }

    @Test func otherFormatVersionIsRefused() throws {
        #expect(try loadProblem(try withMetadata("format_version", "2")) == .unsupportedVersion(found: "2", supported: "1"))
        #expect(try loadProblem(try withMetadata("format_version", nil)) == .missingMetadata(key: "format_version"))
    }

    @Test(arguments: ["spec", "labels", "normalization", "provenance"])
    func missingMetadataKey(_ key: String) throws {
        #expect(try loadProblem(try withMetadata(key, nil)) == .missingMetadata(key: key))
    }

    @Test func badSpecSaysWhy() throws {
        guard case .badSpec(let m) = try loadProblem(try withMetadata("spec", #"{"name":"x","input":[1,8,8],"layers":[{"type":"conv3d"}]}"#)) else {
            Issue.record("expected badSpec"); return
        }
        #expect(m.contains("conv3d"))
        guard case .badMetadata(let r) = try loadProblem(try withMetadata("spec", "{not json")) else { Issue.record("expected badMetadata"); return }
        #expect(r.contains("\"spec\""))
    }

    /// Found while writing Fuzz/fuzz-model (and confirmed through it): 50 conv layers with padding 100000 grow the feature map
    /// until flatten's element count overflows Int; loading trapped instead of refusing the spec.
    @Test func specWhoseFlattenOverflowsIsRefusedNotATrap() throws {
        let conv = #"{"type":"conv2d","name":"c%d","out":100000,"kernel":1,"stride":1,"padding":100000}"#
        let layers = (0..<50).map { String(format: conv, $0) } + [#"{"type":"flatten"}"#]
        let text = #"{"name":"x","input":[1,1,1],"layers":["# + layers.joined(separator: ",") + "]}"
        guard case .badSpec(let m) = try loadProblem(try withMetadata("spec", text)) else { Issue.record("expected badSpec"); return }
        #expect(m.contains("flatten") && m.contains("more elements than an Int holds"))
    }

    @Test func labelsMustBeTheSevenEmotionsInOrder() throws {
        let swapped = #"["disgust","angry","fear","happy","sad","surprise","neutral"]"#
        #expect(try loadProblem(try withMetadata("labels", swapped)) == .badLabels(found: swapped))
        guard case .badLabels = try loadProblem(try withMetadata("labels", #"["angry"]"#)) else { Issue.record("short"); return }
        guard case .badLabels = try loadProblem(try withMetadata("labels", #"{"0":"angry"}"#)) else { Issue.record("object"); return }
        let e = ModelFileError(path: "m", problem: .badLabels(found: swapped))
        #expect(e.description.contains("angry,disgust,fear,happy,sad,surprise,neutral"))
    }

    @Test func normalizationMustBeUsable() throws {
        guard case .badNormalization = try loadProblem(try withMetadata("normalization", #"{"scale":1,"mean":0,"std":0}"#)) else { Issue.record("std 0"); return }
        guard case .badNormalization = try loadProblem(try withMetadata("normalization", #"{"scale":1,"mean":0}"#)) else { Issue.record("no std"); return }
        guard case .badNormalization = try loadProblem(try withMetadata("normalization", #"{"scale":1,"mean":0,"std":1,"gamma":2}"#)) else { Issue.record("extra key"); return }
        guard case .badNormalization = try loadProblem(try withMetadata("normalization", #"{"scale":"x","mean":0,"std":1}"#)) else { Issue.record("string"); return }
    }

    @Test func provenanceMustBeAnObjectOfStrings() throws {
        guard case .badProvenance = try loadProblem(try withMetadata("provenance", #"["a"]"#)) else { Issue.record("array"); return }
        guard case .badProvenance(let r) = try loadProblem(try withMetadata("provenance", #"{"accuracy":0.6}"#)) else { Issue.record("number"); return }
        #expect(r.contains("accuracy"))
    }

    @Test func missingTensor() throws {
        var c = try validContent()
        c.tensors.removeAll { $0.name == "bn1.running_var" }
        #expect(try loadProblem(c) == .missingTensor(name: "bn1.running_var", expected: [4]))
    }

    @Test func extraTensor() throws {
        var c = try validContent()
        c.tensors.append(NamedTensor(name: "fc3.weight", shape: [1], values: [0]))
        #expect(try loadProblem(c) == .extraTensor(name: "fc3.weight"))
    }

    @Test func shapeMismatchAsksAboutTheArchitecture() throws {
        var c = try validContent()
        let i = try #require(c.tensors.firstIndex { $0.name == "conv1.weight" })
        c.tensors[i] = NamedTensor(name: "conv1.weight", shape: [2, 2, 3, 3], values: c.tensors[i].values)
        let problem = try loadProblem(c)
        #expect(problem == .shapeMismatch(name: "conv1.weight", found: [2, 2, 3, 3], expected: [4, 1, 3, 3]))
        #expect(ModelFileError(path: "models/x.safetensors", problem: problem!).description
                == "model file models/x.safetensors: tensor conv1.weight has shape [2,2,3,3], architecture expects [4,1,3,3] (was it trained with another --arch?)")
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeights(_ bad: Float) throws {
        var c = try validContent()
        let i = try #require(c.tensors.firstIndex { $0.name == "fc1.weight" })
        c.tensors[i].values[17] = bad
        guard case .nonFinite(let name, let index, _) = try loadProblem(c) else { Issue.record("expected nonFinite"); return }
        #expect(name == "fc1.weight" && index == 17)
    }
}

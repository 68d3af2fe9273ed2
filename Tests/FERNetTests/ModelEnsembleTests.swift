// Tests of ModelEnsemble.combine: members side by side in order, an ensemble
// given as a member contributes its networks, provenance kept per member, and
// files that disagree on input, normalization or labels are refused by path.

import Foundation
import Testing
@testable import FERNet

@Suite struct ModelEnsembleTests {
    func plain(_ spec: ModelSpec, seed: UInt64, note: String) throws -> LoadedModel {
        LoadedModel(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec, seed: seed), normalization: ModelIOFixtures.normalization,
                    labels: Emotion.names, provenance: ["command": "train \(note)", "validation_accuracy": note])
    }

    @Test func combinesMembersInOrderWithTheirProvenance() throws {
        let a = try plain(ModelFileMembersTests.specA, seed: 1, note: "a"), b = try plain(ModelFileMembersTests.specB, seed: 2, note: "b")
        let e = try ModelEnsemble.combine([a, b], paths: ["runs/a.safetensors", "runs/b.safetensors"])
        #expect(e.members == a.members + b.members)
        #expect(e.normalization == a.normalization)
        #expect(e.provenance["member0.command"] == "train a" && e.provenance["member1.validation_accuracy"] == "b")
        #expect(e.provenance["member0.file"] == "runs/a.safetensors" && e.provenance["member1.file"] == "runs/b.safetensors")
        #expect(e.provenance["ensemble"] == "mean of the class probabilities of test-vgg + test-small")
        // It is a valid file.
        #expect(try ModelFile.decode(try ModelFile.encode(e)) == e)
    }

    @Test func anEnsembleMemberContributesAllItsNetworks() throws {
        let a = try plain(ModelFileMembersTests.specA, seed: 1, note: "a"), b = try plain(ModelFileMembersTests.specB, seed: 2, note: "b")
        let c = try plain(ModelFileMembersTests.specA, seed: 3, note: "c")
        let ab = try ModelEnsemble.combine([a, b], paths: ["a", "b"])
        let abc = try ModelEnsemble.combine([ab, c], paths: ["ab", "c"])
        #expect(abc.members == a.members + b.members + c.members)
        #expect(abc.provenance["member1.command"] == "train b" && abc.provenance["member1.file"] == "b")
        #expect(abc.provenance["member2.file"] == "c")
    }

    @Test func disagreementsAreRefusedNamingTheFile() throws {
        let a = try plain(ModelFileMembersTests.specA, seed: 1, note: "a")
        var b = try plain(ModelFileMembersTests.specB, seed: 2, note: "b")
        b.normalization = InputNormalization(scale: 1, mean: 0, std: 1)
        do { _ = try ModelEnsemble.combine([a, b], paths: ["a.st", "b.st"]); Issue.record("accepted") } catch {
            #expect(error.path == "b.st")
            #expect(error.description.contains("normalization"))
        }
        var other = ModelFileMembersTests.specB
        other.input = [1, 10, 10]
        let c = try plain(other, seed: 2, note: "c")
        do { _ = try ModelEnsemble.combine([a, c], paths: ["a.st", "c.st"]); Issue.record("accepted") } catch {
            #expect(error.path == "c.st" && error.description.contains("input"))
        }
        #expect(throws: ModelFileError.self) { try ModelEnsemble.combine([a], paths: ["a.st"]) }
    }

    @Test func onnxExportRefusesAnEnsembleAndSaysWhatToDo() throws {
        let a = try plain(ModelFileMembersTests.specA, seed: 1, note: "a"), b = try plain(ModelFileMembersTests.specA, seed: 2, note: "b")
        let e = try ModelEnsemble.combine([a, b], paths: ["a", "b"])
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("e.onnx")
        do { _ = try ONNXExporter.export(e, to: url); Issue.record("exported") } catch {
            #expect(error.message.contains("ensemble of 2 networks") && error.message.contains("member"))
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}

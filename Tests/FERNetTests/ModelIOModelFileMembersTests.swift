// Tests of ensemble model files: two networks of different architectures in
// one file round-trip, the metadata and tensor names are the documented ones,
// and each defect of the ensemble part gives its own error.

import Foundation
import Testing
@testable import FERNet

@Suite struct ModelFileMembersTests {
    /// Two members that agree on input (1, 12, 12) and 7 classes but not on layers.
    static let specA = ModelIOFixtures.smallSpec
    static let specB = ModelSpec(name: "test-small", input: [1, 12, 12], layers: [
        .conv2d(name: "conv1", outChannels: 2, kernel: 3, stride: 2, padding: 1),  // (2, 6, 6)
        .relu, .globalAvgPool,
        .dense(name: "fc", outFeatures: 7),
    ])

    static func ensemble() throws -> LoadedModel {
        LoadedModel(members: [ModelMember(spec: specA, tensors: try ModelIOFixtures.tensors(for: specA, seed: 1)),
                              ModelMember(spec: specB, tensors: try ModelIOFixtures.tensors(for: specB, seed: 2))],
                    normalization: ModelIOFixtures.normalization, labels: Emotion.names, provenance: ["ensemble": "test"])
    }

    func content() throws -> SafeTensors { try SafeTensors.decode(try ModelFile.encode(try Self.ensemble())) }

    func decodeProblem(_ c: SafeTensors) throws -> ModelFileError.Problem? {
        do { _ = try ModelFile.decode(try c.encoded()); return nil } catch { return error.problem }
    }

    @Test func ensembleRoundTripsThroughAFile() throws {
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ensemble.safetensors")
        let model = try Self.ensemble()
        try ModelFile.save(model, to: url)
        let loaded = try ModelFile.load(from: url)
        #expect(loaded == model)
        #expect(loaded.isEnsemble)
        #expect(loaded.members.map(\.spec.name) == ["test-vgg", "test-small"])
    }

    @Test func ensembleMetadataListsOneArchitecturePerMemberAndPrefixesTensors() throws {
        let c = try content()
        #expect(c.metadata["spec"] == nil)
        let members = try #require(try JSONValue.parse(c.metadata["members"] ?? "").arrayValue)
        #expect(try members.map { try ModelSpec(json: $0) } == [Self.specA, Self.specB])
        let names = c.tensors.map(\.name)
        #expect(names.contains("member0.conv2.weight") && names.contains("member1.fc.bias"))
        #expect(names.allSatisfy { $0.hasPrefix("member0.") || $0.hasPrefix("member1.") })
        #expect(names.count == (try Self.specA.parameterShapes().count + Self.specB.parameterShapes().count))
    }

    @Test func plainModelIsWrittenWithoutMembers() throws {
        let plain = try SafeTensors.decode(try ModelFile.encode(spec: Self.specB, tensors: try ModelIOFixtures.tensors(for: Self.specB),
                                                                normalization: .init(), provenance: [:]))
        #expect(plain.metadata["members"] == nil && plain.metadata["spec"] != nil)
        #expect(plain.tensors.map(\.name).contains("fc.weight"))
    }

    @Test func aMissingMemberTensorIsNamedWithItsPrefix() throws {
        var c = try content()
        c.tensors.removeAll { $0.name == "member1.conv1.weight" }
        #expect(try decodeProblem(c) == .missingTensor(name: "member1.conv1.weight", expected: [2, 1, 3, 3]))
    }

    @Test func aTensorOfNoMemberIsRejected() throws {
        var c = try content()
        c.tensors.append(NamedTensor(name: "conv1.weight", shape: [1], values: [0]))
        #expect(try decodeProblem(c) == .extraTensor(name: "conv1.weight"))
        var d = try content()
        d.tensors.append(NamedTensor(name: "member2.fc.weight", shape: [1], values: [0]))
        #expect(try decodeProblem(d) == .extraTensor(name: "member2.fc.weight"))
    }

    @Test func membersMustAgreeOnInputAndClasses() throws {
        var other = Self.specB
        other.input = [1, 10, 10]
        var c = try content()
        c.metadata["members"] = JSONValue.array([Self.specA.json, other.json]).text
        guard case .badMembers(let reason) = try decodeProblem(c) else { Issue.record("expected badMembers"); return }
        #expect(reason.contains("member 1 (test-small) takes [1, 10, 10]"))

        let model = try Self.ensemble()
        var mismatched = model
        mismatched.members[1].spec = other
        mismatched.members[1].tensors = try ModelIOFixtures.tensors(for: other)
        #expect(throws: ModelFileError.self) { try ModelFile.encode(mismatched) }
    }

    @Test func membersMetadataMustBeAnArrayOfTwoOrMore() throws {
        for bad in [#"[]"#, "2", JSONValue.array([Self.specA.json]).text] {
            var c = try content()
            c.metadata["members"] = bad
            guard case .badMembers = try decodeProblem(c) else { Issue.record("\(bad) accepted"); continue }
        }
        var c = try content()
        c.metadata["members"] = JSONValue.array([Self.specA.json, .object([("name", .string("x"))])]).text
        guard case .badSpec(let m) = try decodeProblem(c) else { Issue.record("expected badSpec"); return }
        #expect(m.hasPrefix("member 1:"))
    }

    @Test func specAndMembersTogetherAreRejected() throws {
        var c = try content()
        c.metadata["spec"] = Self.specA.jsonText
        guard case .badMembers(let reason) = try decodeProblem(c) else { Issue.record("expected badMembers"); return }
        #expect(reason.contains("both"))
    }

    @Test func networksBuildsOneNetworkPerMemberWithItsWeights() throws {
        let model = try Self.ensemble()
        let nets = try model.networks()
        #expect(nets.map(\.spec.name) == ["test-vgg", "test-small"])
        for (net, member) in zip(nets, model.members) {
            #expect(net.exportTensors().map(\.values) == member.tensors.map(\.values))
        }
    }
}

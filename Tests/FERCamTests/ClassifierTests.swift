// The CNN classifier loads a model file and returns one probability row per face.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite struct ClassifierTests {
    @Test func probabilitiesPerFaceSumToOne() throws {
        let c = try EmotionModel.classifier(path: TestModel.path, threads: 1)
        #expect(c.inputSide == 48)
        let pre = FacePreprocessor(normalization: c.normalization)
        let img = try ImageCodec.decode(path: try TestPaths.requireMedia("sad.jpg")).gray()
        let a = pre.preprocess(gray: img, box: Box(x: 100, y: 50, width: 120, height: 120))
        let b = pre.preprocess(gray: img, box: Box(x: 0, y: 0, width: 60, height: 60))
        let rows = try (a + b).withUnsafeBufferPointer { try c.classify($0, count: 2) }
        #expect(rows.count == 2)
        for r in rows {
            #expect(r.count == 7)
            #expect(abs(r.reduce(0, +) - 1) < 1e-4)
        }
        // Batched and single results agree (the batch is not mixed up), also past the engine's batch limit.
        let single = try b.withUnsafeBufferPointer { try c.classify($0, count: 1) }
        #expect(zip(single[0], rows[1]).allSatisfy { abs($0 - $1) < 1e-4 })
        let many = try [[Float]](repeating: a, count: 20).flatMap { $0 }.withUnsafeBufferPointer { try c.classify($0, count: 20) }
        #expect(many.count == 20)
        #expect(many.allSatisfy { zip($0, rows[0]).allSatisfy { abs($0 - $1) < 1e-4 } })
    }

    @Test func ensembleFileGivesTheMeanOfItsMembers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fer-classifier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two small members of different architectures (48×48 gray in, 7 out) with seeded weights.
        let specs = [
            ModelSpec(name: "gap", input: [1, 48, 48], layers: [.conv2d(name: "c", outChannels: 4, kernel: 3, stride: 2, padding: 1),
                                                                .relu, .globalAvgPool, .dense(name: "fc", outFeatures: 7)]),
            ModelSpec(name: "pool", input: [1, 48, 48], layers: [.maxPool(kernel: 4, stride: 4), .flatten, .dense(name: "fc", outFeatures: 7)]),
        ]
        var paths: [String] = []
        var models: [LoadedModel] = []
        for (i, spec) in specs.enumerated() {
            let net = try Network(spec: spec, seed: UInt64(10 + i))
            let model = LoadedModel(spec: spec, tensors: net.exportTensors(), normalization: InputNormalization(), labels: Emotion.names, provenance: [:])
            let path = dir.appendingPathComponent("m\(i).safetensors").path
            try ModelFile.save(model, to: URL(fileURLWithPath: path))
            paths.append(path)
            models.append(model)
        }
        let ensemblePath = dir.appendingPathComponent("ensemble.safetensors").path
        try ModelFile.save(try ModelEnsemble.combine(models, paths: paths), to: URL(fileURLWithPath: ensemblePath))

        let img = try ImageCodec.decode(path: try TestPaths.requireMedia("sad.jpg")).gray()
        let pre = FacePreprocessor(normalization: InputNormalization())
        let faces = pre.preprocess(gray: img, box: Box(x: 100, y: 50, width: 120, height: 120))
            + pre.preprocess(gray: img, box: Box(x: 0, y: 0, width: 60, height: 60))
        func classify(_ path: String) throws -> [[Float]] {
            try faces.withUnsafeBufferPointer { try EmotionModel.classifier(path: path, threads: 1).classify($0, count: 2) }
        }
        let members = try paths.map(classify)
        let ensemble = try classify(ensemblePath)
        for face in 0..<2 {
            for k in 0..<7 {
                #expect(abs(ensemble[face][k] - (members[0][face][k] + members[1][face][k]) / 2) < 1e-5)
            }
        }
        #expect(zip(members[0][0], members[1][0]).contains { abs($0 - $1) > 1e-3 })  // the members differ
    }
}

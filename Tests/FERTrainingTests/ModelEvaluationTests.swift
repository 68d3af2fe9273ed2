import Foundation
import Testing
import FERNet
import FERVision
@testable import FERTraining

@Suite struct ModelEvaluationTests {
    /// Global average → dense: logits = w * mean(x) + b. Bright faces (x = 1) score
    /// happy (w = 10), dark faces (x = 0) score neutral (b = 1).
    static let spec = ModelSpec(name: "by-hand", input: [1, 48, 48], layers: [.globalAvgPool, .dense(name: "fc", outFeatures: 7)])

    static func writeModel(_ dir: URL, spec: ModelSpec = spec) throws -> String {
        let url = dir.appendingPathComponent("m.safetensors")
        let shapes = try spec.parameterShapes()
        var tensors: [NamedTensor] = []
        for (name, shape) in shapes {
            let count = shape.reduce(1, *)
            var v = [Float](repeating: 0, count: count)
            if name == "fc.weight" && count == 7 { v[3] = 10 }
            if name == "fc.bias" { v[6] = 1 }
            tensors.append(NamedTensor(name: name, shape: shape, values: v))
        }
        try ModelFile.save(spec: spec, tensors: tensors, normalization: InputNormalization(), provenance: [:], to: url)
        return url.path
    }

    static func writeCSV(_ dir: URL) throws -> String {
        // (value, label): bright happy ✓, dark neutral ✓, bright sad ✗ (→ happy), dark angry ✗ (→ neutral), bright happy ✓.
        let rows = [(255, 3), (0, 6), (255, 4), (0, 0), (255, 3)].map { TestData.row(label: $0.1, value: $0.0, usage: "PublicTest") }
        let url = dir.appendingPathComponent("tiny.csv")
        try (["emotion,pixels,Usage", TestData.row(label: 1, value: 9)] + rows).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: [false, true])
    func accuracyMatchesTheHandCount(tta: Bool) throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ModelEvaluation.run(model: try Self.writeModel(dir), data: try Self.writeCSV(dir), split: "PublicTest", tta: tta, batchSize: 2)
        #expect(r.images == 5)
        #expect(abs(r.accuracy - 0.6) < 1e-12)
        #expect(abs(r.standardError - (0.6 * 0.4 / 5).squareRoot()) < 1e-12)
        var expected = Array(repeating: Array(repeating: 0, count: 7), count: 7)
        expected[3][3] = 2; expected[6][6] = 1; expected[4][3] = 1; expected[0][6] = 1
        #expect(r.confusion == expected)
        #expect(abs(r.classes[3].precision - 2.0 / 3) < 1e-12 && r.classes[3].recall == 1)
        #expect(r.classes[4].recall == 0 && r.classes[4].support == 1)
        #expect(r.text.contains("60.00 ± 21.91 %"))
        // JSON decodes back.
        let back = try JSONDecoder().decode(EvaluationReport.self, from: Data(r.json.utf8))
        #expect(back.confusion == expected && back.accuracy == r.accuracy)
    }

    /// A by-hand member: logit `weight.1` · mean(x) for class `weight.0`, bias `bias.1` for class `bias.0`.
    static func byHand(weight: (Int, Float), bias: (Int, Float)) throws -> LoadedModel {
        var w = [Float](repeating: 0, count: 7), b = [Float](repeating: 0, count: 7)
        w[weight.0] = weight.1
        b[bias.0] = bias.1
        return LoadedModel(spec: spec, tensors: [NamedTensor(name: "fc.weight", shape: [7, 1], values: w),
                                                 NamedTensor(name: "fc.bias", shape: [7], values: b)],
                           normalization: InputNormalization(), labels: Emotion.names, provenance: [:])
    }

    @Test func ensembleIsJudgedOnTheMeanOfItsMembersProbabilities() throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A: bright (x = 1) → happy 2, always neutral +1. B: bright → sad 3, always angry +2.
        let a = try Self.byHand(weight: (3, 2), bias: (6, 1)), b = try Self.byHand(weight: (4, 3), bias: (0, 2))
        let path = dir.appendingPathComponent("ensemble.safetensors")
        try ModelFile.save(try ModelEnsemble.combine([a, b], paths: ["a", "b"]), to: path)
        // By hand: bright faces, A = softmax(0,0,0,2,0,0,1), B = softmax(2,0,0,0,3,0,0); the mean puts
        // sad (0.342) above happy (0.260). Dark faces: A = softmax(0,...,0,1), B = softmax(2,0,...,0);
        // the mean puts angry (0.333) above neutral (0.193). So the five faces of writeCSV are
        // predicted sad, angry, sad, angry, sad: right on the 3rd and 4th.
        func softmax(_ z: [Double]) -> [Double] { let e = z.map { exp($0) }; let s = e.reduce(0, +); return e.map { $0 / s } }
        let bright = zip(softmax([0, 0, 0, 2, 0, 0, 1]), softmax([2, 0, 0, 0, 3, 0, 0])).map { ($0 + $1) / 2 }
        let dark = zip(softmax([0, 0, 0, 0, 0, 0, 1]), softmax([2, 0, 0, 0, 0, 0, 0])).map { ($0 + $1) / 2 }
        #expect(bright.indices.max { bright[$0] < bright[$1] } == 4 && dark.indices.max { dark[$0] < dark[$1] } == 0)

        let r = try ModelEvaluation.run(model: path.path, data: try Self.writeCSV(dir), split: "PublicTest", batchSize: 2)
        #expect(r.images == 5)
        #expect(abs(r.accuracy - 0.4) < 1e-12)
        var expected = Array(repeating: Array(repeating: 0, count: 7), count: 7)
        expected[3][4] = 2; expected[6][0] = 1; expected[4][4] = 1; expected[0][0] = 1
        #expect(r.confusion == expected)
        // The loss is computed from the mean probabilities too.
        let loss = -(2 * log(bright[3]) + log(dark[6]) + log(bright[4]) + log(dark[0])) / 5
        #expect(abs(r.loss - loss) < 1e-5, "loss \(r.loss), by hand \(loss)")
    }

    @Test func reportFolderHoldsJSONTextAndPlots() throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ModelEvaluation.run(model: try Self.writeModel(dir), data: try Self.writeCSV(dir), split: "PublicTest")
        let history = TrainingHistory(records: (1 ... 5).map {
            EpochRecord(epoch: $0, step: $0 * 10, learningRate: 0.01, trainLoss: 2 / Double($0), trainAccuracy: 0.1 * Double($0),
                        valLoss: 2.2 / Double($0), valAccuracy: 0.09 * Double($0), seconds: 1, imagesPerSecond: 100)
        })
        let files = try ModelEvaluation.writeReport(r, history: history, to: dir.path + "/report")
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["report.json", "report.txt", "report.md", "confusion.png", "curves.png"])
        // The Markdown tables: one row per class, and the confusion matrix's rows (happy: 2 right, sad: 1 taken for happy).
        let md = try String(contentsOfFile: dir.path + "/report/report.md", encoding: .utf8)
        #expect(md.contains("accuracy **60.00 ± 21.91 %** on PublicTest (5 faces, no test-time augmentation)"))
        #expect(md.contains("| happy | 0.667 | 1.000 | 0.800 | 2 |"))
        #expect(md.contains("| true \\ pred | angry | disgust | fear | happy | sad | surprise | neutral |"))
        #expect(md.contains("| sad | 0 | 0 | 0 | 1 | 0 | 0 | 0 |") && md.contains("| happy | 0 | 0 | 0 | 2 | 0 | 0 | 0 |"))
        let heat = try ImageCodec.decode(path: dir.path + "/report/confusion.png")
        #expect(heat.width > 400 && heat.height > 400)
        let curves = try ImageCodec.decode(path: dir.path + "/report/curves.png")
        #expect(curves.width > 600)
        // The plots are not blank.
        #expect(Set(curves.pixels).count > 5)
    }

    @Test func modelWithAnotherInputSizeIsRefused() throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrong = ModelSpec(name: "big", input: [1, 64, 64], layers: [.globalAvgPool, .dense(name: "fc", outFeatures: 7)])
        let model = try Self.writeModel(dir, spec: wrong)
        do {
            _ = try ModelEvaluation.run(model: model, data: try Self.writeCSV(dir), split: "PublicTest")
            Issue.record("no error for a 64×64 model")
        } catch let e as EvaluationError {
            #expect(e.description.contains("[1, 64, 64]") && e.description.contains(model))
        }
        #expect(throws: EvaluationError.self) { try ModelEvaluation.run(model: dir.path + "/none.safetensors", data: "x", split: "PublicTest") }
    }
}

@Suite struct EvaluatorTests {
    @Test func threadsDoNotChangeResultsAndMatchTheTrainingNetwork() throws {
        let data = TrainerTests.syntheticData(150, seed: 4)
        let net = try Network(spec: TestData.tinySpec, seed: 3)
        let pre = FacePreprocessor(normalization: InputNormalization(scale: 1 / 255, mean: 0.5, std: 0.25))
        let one = try Evaluator.probabilities(nets: [net], data: data, preprocessor: pre, batchSize: 32, threads: 1)
        let three = try Evaluator.probabilities(nets: [net], data: data, preprocessor: pre, batchSize: 32, threads: 3)
        #expect(one.map(\.bitPattern) == three.map(\.bitPattern), "probabilities differ between 1 and 3 threads")
        // Same numbers as the training network in inference mode (within float tolerance).
        let x = BatchMaker(data: data, preprocessor: pre, augmentation: .none, seed: 0).batch(Array(0 ..< 150), epoch: 0, augment: false).inputs
        let logits = net.forward(x, training: false).toArray()
        var maxDiff: Float = 0
        for i in 0 ..< 150 {
            let row = logits[i * 7 ..< (i + 1) * 7], m = row.max()!
            let e = row.map { expf($0 - m) }, sum = e.reduce(0, +)
            for c in 0 ..< 7 { maxDiff = max(maxDiff, abs(e[c] / sum - one[i * 7 + c])) }
        }
        print("InferenceEngine vs Network probabilities: max difference \(maxDiff)")
        #expect(maxDiff < 1e-4)
        // TTA rows are still distributions.
        let tta = try Evaluator.probabilities(nets: [net], data: data, preprocessor: pre, tta: true, threads: 2)
        for i in 0 ..< 150 { #expect(abs(tta[i * 7 ..< (i + 1) * 7].reduce(0, +) - 1) < 1e-4) }
    }
}

import Foundation
import Testing
import FERNet
@testable import FERTraining

/// Teacher targets (knowledge distillation) and starting a run from a trained model.
@Suite struct DistillationTests {
    static func faces(_ labels: [UInt8], values: [UInt8], soft: [Float]? = nil) -> FaceDataset {
        FaceDataset(source: "t", pixels: values.flatMap { [UInt8](repeating: $0, count: 2304) }, labels: labels, softTargets: soft)
    }

    static func close(_ a: [Float], _ b: [Double], _ tol: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) < tol }
    }

    @Test func blendIsTheWeightedMeanOfTheSoftenedTeacherAndTheLabel() throws {
        // Teacher rows: 0.4 for class 0 and 0.1 for the six others. sqrt(0.4) = 2 sqrt(0.1),
        // so at T = 2 the row becomes 2/8 = 0.25 and 1/8 = 0.125.
        let row: [Float] = [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
        let data = Self.faces([3, 0], values: [10, 20])
        let t1 = TeacherTargets.blend(teacher: row + row, into: data, Distillation(weight: 0.5, temperature: 1))
        let s1 = try #require(t1.softTargets)
        #expect(Self.close(Array(s1[0 ..< 7]), [0.2, 0.05, 0.05, 0.55, 0.05, 0.05, 0.05]))
        #expect(Self.close(Array(s1[7 ..< 14]), [0.7, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]))

        let t2 = TeacherTargets.blend(teacher: row + row, into: data, Distillation(weight: 0.5, temperature: 2))
        let s2 = try #require(t2.softTargets)
        #expect(Self.close(Array(s2[7 ..< 14]), [0.625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625, 0.0625]))
        #expect(Self.close(Array(s2[0 ..< 7]), [0.125, 0.0625, 0.0625, 0.5625, 0.0625, 0.0625, 0.0625]))
        // Labels and pixels are untouched; every target row sums to 1.
        #expect(t2.labels == data.labels && t2.pixels == data.pixels)
        for i in 0 ..< 2 { #expect(abs(s2[i * 7 ..< (i + 1) * 7].reduce(0, +) - 1) < 1e-6) }

        // Weight 1: the label no longer matters.
        let only = try #require(TeacherTargets.blend(teacher: row + row, into: data, Distillation(weight: 1, temperature: 1)).softTargets)
        #expect(Self.close(only, (row + row).map(Double.init)))
    }

    @Test func blendKeepsFERPlusVotesAsTheFacesOwnTarget() throws {
        let votes: [Float] = [0, 0, 0, 0.6, 0, 0, 0.4]
        let teacher: [Float] = [0, 0, 0, 0, 0, 1, 0]
        let data = Self.faces([3], values: [5], soft: votes)
        let s = try #require(TeacherTargets.blend(teacher: teacher, into: data, Distillation(weight: 0.25, temperature: 1)).softTargets)
        #expect(Self.close(s, [0, 0, 0, 0.45, 0, 0.25, 0.3]))
    }

    @Test func teacherProbabilitiesComeFromTheTeachersNetworks() throws {
        // By-hand teacher: logit 2 · mean(x) for happy, +1 for neutral. A bright face (x = 1)
        // gets softmax(0,0,0,2,0,0,1), a dark one softmax(0,0,0,0,0,0,1).
        let teacher = try ModelEvaluationTests.byHand(weight: (3, 2), bias: (6, 1))
        let data = Self.faces([3, 0], values: [255, 0])  // bright happy (teacher agrees), dark angry (teacher says neutral)
        let (taught, agreement) = try TeacherTargets.apply(teacher: teacher, path: "t.safetensors", to: data,
                                                           Distillation(weight: 1, temperature: 1), threads: 1)
        func softmax(_ z: [Double]) -> [Double] { let e = z.map { exp($0) }; let s = e.reduce(0, +); return e.map { $0 / s } }
        let s = try #require(taught.softTargets)
        #expect(Self.close(Array(s[0 ..< 7]), softmax([0, 0, 0, 2, 0, 0, 1]), 1e-5))
        #expect(Self.close(Array(s[7 ..< 14]), softmax([0, 0, 0, 0, 0, 0, 1]), 1e-5))
        #expect(agreement == 0.5)
    }

    @Test func aTeacherForOtherClassesIsRefusedByPath() throws {
        var teacher = try ModelEvaluationTests.byHand(weight: (3, 2), bias: (6, 1))
        teacher.labels = ["a", "b", "c", "d", "e", "f", "g"]
        let data = Self.faces([3], values: [255])
        let error = #expect(throws: DatasetError.self) {
            try TeacherTargets.apply(teacher: teacher, path: "/x/teacher.safetensors", to: data, Distillation())
        }
        #expect(error.map { "\($0)" }?.contains("/x/teacher.safetensors") == true)
    }

    @Test func distillationOptionsAreChecked() {
        var c = TrainConfig()
        c.distillation = Distillation(weight: 0, temperature: 2)
        #expect(c.problems().contains { $0.contains("--teacher-weight") })
        c.distillation = Distillation(weight: 0.5, temperature: 0)
        #expect(c.problems().contains { $0.contains("--teacher-temperature") })
        c.distillation = Distillation(weight: 1, temperature: 4)
        #expect(c.problems().isEmpty)
    }

    @Test func recipeWithDistillationRoundTripsAndOldRecipesStillDecode() throws {
        var c = TrainConfig()
        c.distillation = Distillation(weight: 0.6, temperature: 3)
        let back = try JSONDecoder().decode(TrainConfig.self, from: JSONEncoder().encode(c))
        #expect(back == c)
        // A checkpoint written before distillation existed has no such key.
        var json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainConfig())) as? [String: Any])
        json.removeValue(forKey: "distillation")
        let old = try JSONDecoder().decode(TrainConfig.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.distillation == nil && old == TrainConfig())
    }

    @Test func aRunCanStartFromATrainedModel() throws {
        let start = try Network(spec: TestData.tinySpec, seed: 99)
        let norm = InputNormalization(mean: 0.3, std: 0.2)
        let model = LoadedModel(spec: TestData.tinySpec, tensors: start.exportTensors(), normalization: norm,
                                labels: Emotion.names, provenance: [:])
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = TrainerTests.syntheticData(20, seed: 5)
        let t = try Trainer(config: TrainerTests.config(epochs: 1, batch: 8), train: train, validation: nil,
                            outputs: TrainingOutputs(directory: dir), initial: model)
        #expect(t.config.architecture == "tiny")
        #expect(t.normalization == norm)
        #expect(t.network.exportTensors() == model.tensors)
        // A fresh network with the recipe's seed would differ.
        #expect(try Network(spec: TestData.tinySpec, seed: 7).exportTensors() != model.tensors)

        // An ensemble is not one network to start from.
        let pair = try ModelEnsemble.combine([model, model], paths: ["a", "b"])
        #expect(throws: TrainingError.self) {
            try Trainer(config: TrainConfig(), train: train, validation: nil, outputs: TrainingOutputs(directory: dir), initial: pair)
        }
    }
}

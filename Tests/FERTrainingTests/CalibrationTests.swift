import Foundation
import Testing
import FERNet
import FERVision
@testable import FERTraining

/// Temperature scaling: softening, the likelihood and its fit, the calibration
/// error, the temperature folded into a model file, and `ModelCalibration`.
@Suite struct CalibrationTests {
    static func softened(_ row: [Float], _ t: Double) -> [Double] {
        var out = [Double](repeating: 0, count: row.count)
        Calibration.soften(row, temperature: t, into: &out)
        return out
    }

    static func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-9) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < tol }
    }

    @Test func softeningRaisesToThePowerOneOverTAndRenormalizes() {
        let row: [Float] = [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
        #expect(Self.close(Self.softened(row, 1), row.map(Double.init), 1e-7))
        // sqrt(0.4) = 2 sqrt(0.1): 2/8 and 1/8.
        #expect(Self.close(Self.softened(row, 2), [0.25] + Array(repeating: 0.125, count: 6), 1e-7))
        // Squares: 0.16 and 0.01, sum 0.22.
        #expect(Self.close(Self.softened(row, 0.5), [0.16 / 0.22] + Array(repeating: 0.01 / 0.22, count: 6), 1e-7))
    }

    @Test func likelihoodOfAnEnsembleUsesTheMeanOfItsSoftenedMembers() {
        let a: [Float] = [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], b: [Float] = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4]
        let at1 = Calibration.negativeLogLikelihood(members: [a, b], labels: [0], classes: 7, temperature: 1)
        #expect(abs(at1 + log(0.25)) < 1e-7)
        let at2 = Calibration.negativeLogLikelihood(members: [a, b], labels: [0], classes: 7, temperature: 2)
        #expect(abs(at2 + log((0.25 + 0.125) / 2)) < 1e-7)
    }

    /// Faces whose true class probabilities are softmax(z / 2) while the model says softmax(z):
    /// the fit must find T ≈ 2; given the true probabilities it must find T ≈ 1.
    @Test func fitRecoversTheTemperatureOfAnOverconfidentModel() {
        let rng = SeededRandom(seed: 7)
        let n = 6000, k = 7
        var model = [Float](), truth = [Float](), labels = [UInt8]()
        for _ in 0 ..< n {
            let z = (0 ..< k).map { _ in Double(rng.normal()) * 3 }
            func softmax(_ s: Double) -> [Double] { let e = z.map { exp($0 / s) }; let t = e.reduce(0, +); return e.map { $0 / t } }
            let p = softmax(1), q = softmax(2)
            model += p.map(Float.init)
            truth += q.map(Float.init)
            var u = Double(rng.nextUniform()), y = k - 1
            for c in 0 ..< k { u -= q[c]; if u < 0 { y = c; break } }
            labels.append(UInt8(y))
        }
        let t = Calibration.fitTemperature(members: [model], labels: labels, classes: k)
        #expect(t > 1.8 && t < 2.2, "fitted \(t)")
        let before = Calibration.negativeLogLikelihood(members: [model], labels: labels, classes: k, temperature: 1)
        let after = Calibration.negativeLogLikelihood(members: [model], labels: labels, classes: k, temperature: t)
        #expect(after < before - 0.05, "loss \(before) -> \(after)")
        // No temperature near t does better (the search found the minimum).
        for s in [t * 0.95, t * 1.05] {
            #expect(Calibration.negativeLogLikelihood(members: [model], labels: labels, classes: k, temperature: s) > after)
        }
        let honest = Calibration.fitTemperature(members: [truth], labels: labels, classes: k)
        #expect(honest > 0.9 && honest < 1.1, "fitted \(honest) on calibrated probabilities")
        // Softer than it should be: the fit sharpens (T < 1).
        let softer = (0 ..< n).flatMap { i in Self.softened(Array(truth[i * k ..< (i + 1) * k]), 2).map(Float.init) }
        let soft = Calibration.fitTemperature(members: [softer], labels: labels, classes: k)
        #expect(soft > 0.4 && soft < 0.6, "fitted \(soft) on probabilities softened by 2")
    }

    @Test func calibrationErrorIsTheWeightedGapBetweenConfidenceAndAccuracy() {
        func row(_ top: Float, at c: Int) -> [Float] {
            var r = [Float](repeating: (1 - top) / 6, count: 7)
            r[c] = top
            return r
        }
        // Two faces at confidence 0.9 (one right), two at 0.6 (both right):
        // (|1 − 1.8| + |2 − 1.2|) / 4 = 0.4.
        let p = row(0.9, at: 3) + row(0.9, at: 3) + row(0.6, at: 1) + row(0.6, at: 5)
        let ece = Calibration.expectedCalibrationError(probabilities: p, labels: [3, 0, 1, 5], classes: 7)
        #expect(abs(ece - 0.4) < 1e-6, "ECE \(ece)")
        // All right at confidence 1: no gap.
        #expect(Calibration.expectedCalibrationError(probabilities: row(1, at: 2), labels: [2], classes: 7) == 0)
    }

    @Test func temperatureIsFoldedIntoTheLastDenseLayerOfEveryMember() throws {
        let a = try ModelEvaluationTests.byHand(weight: (3, 2), bias: (6, 1)), b = try ModelEvaluationTests.byHand(weight: (4, 3), bias: (0, 2))
        let half = try a.dividingLogits(by: 2)
        #expect(half.tensors.first { $0.name == "fc.weight" }?.values[3] == 1)
        #expect(half.tensors.first { $0.name == "fc.bias" }?.values[6] == 0.5)
        #expect(half.normalization == a.normalization && half.provenance == a.provenance)

        // The folded network's probabilities are the original's softened by T.
        let faces = FaceDataset(source: "t", pixels: [UInt8](repeating: 255, count: 2304) + [UInt8](repeating: 0, count: 2304), labels: [3, 6])
        let pre = FacePreprocessor(normalization: a.normalization)
        let p = try Evaluator.probabilities(nets: try a.networks(), data: faces, preprocessor: pre, threads: 1)
        let q = try Evaluator.probabilities(nets: try half.networks(), data: faces, preprocessor: pre, threads: 1)
        for i in 0 ..< 2 {
            #expect(Self.close(Array(q[i * 7 ..< (i + 1) * 7]).map(Double.init), Self.softened(Array(p[i * 7 ..< (i + 1) * 7]), 2), 1e-6))
        }

        let pair = try ModelEnsemble.combine([a, b], paths: ["a", "b"]).dividingLogits(by: 4)
        #expect(pair.members[1].tensors.first { $0.name == "fc.weight" }?.values[4] == 0.75)
        #expect(pair.members[1].tensors.first { $0.name == "fc.bias" }?.values[0] == 0.5)

        let noDense = LoadedModel(
            spec: ModelSpec(name: "ends-in-relu", input: [1, 48, 48], layers: [.globalAvgPool, .dense(name: "fc", outFeatures: 7), .relu]),
            tensors: a.tensors, normalization: a.normalization, labels: a.labels, provenance: [:])
        #expect(throws: ModelSpecError.self) { try noDense.dividingLogits(by: 2) }
    }

    @Test func calibratingAModelFileKeepsItsAccuracyAndLowersItsLoss() throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Bright faces score happy 10 (2 of 3 are happy), dark ones neutral 1 (0 of 2):
        // far too sure on bright faces, so the fitted T is above 1.
        let model = try ModelEvaluationTests.writeModel(dir), data = try ModelEvaluationTests.writeCSV(dir)
        let (report, calibrated) = try ModelCalibration.run(model: model, data: data, split: "PublicTest", batchSize: 2, threads: 1)
        #expect(report.images == 5 && abs(report.accuracy - 0.6) < 1e-12)
        #expect(report.temperature > 1 && report.lossAfter < report.lossBefore)
        #expect(report.calibrationErrorAfter < report.calibrationErrorBefore)
        #expect(calibrated.provenance["calibration"]?.contains("PublicTest") == true)
        #expect(report.changedPredictions == 0 && report.accuracyAfter == report.accuracy)   // one network: argmax kept
        #expect(report.text.contains("60.00 % (unchanged"))

        let out = dir.appendingPathComponent("calibrated.safetensors")
        try ModelFile.save(calibrated, to: out)
        let r = try ModelEvaluation.run(model: out.path, data: data, split: "PublicTest", batchSize: 2)
        #expect(abs(r.accuracy - 0.6) < 1e-12 && abs(r.loss - report.lossAfter) < 1e-4, "eval loss \(r.loss), fit \(report.lossAfter)")

        // A second fit finds nothing more to do, and keeps the first one's figures.
        let (again, twice) = try ModelCalibration.run(model: out.path, data: data, split: "PublicTest", batchSize: 2, threads: 1)
        #expect(abs(again.temperature - 1) < 1e-3, "second fit \(again.temperature)")
        #expect(twice.provenance["calibration"]?.contains("before that") == true)
    }
}

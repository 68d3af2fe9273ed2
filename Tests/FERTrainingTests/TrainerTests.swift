import Foundation
import Testing
import FERNet
@testable import FERTraining

@Suite(.serialized) struct TrainerTests {
    static func config(epochs: Int, batch: Int) -> TrainConfig {
        var c = TrainConfig()
        c.epochs = epochs
        c.batchSize = batch
        c.warmupEpochs = 1
        c.seed = 7
        c.optimizer = .adamw
        c.learningRate = 0.01
        c.weightDecay = 1e-4
        return c
    }

    @Test func shortRunOnRealFacesLearns() throws {
        let splits = try TestData.realSplits.get()
        let train = try splits.split("Training").subset(Array(0 ..< 1500))
        let val = try splits.split("PublicTest").subset(Array(0 ..< 400))
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Few faces, few epochs: no augmentation or smoothing, so the signal shows quickly.
        var c = Self.config(epochs: 5, batch: 32)
        c.learningRate = 0.02
        c.augmentation = .none
        c.labelSmoothing = 0
        let trainer = try Trainer(config: c, train: train, validation: val, outputs: TrainingOutputs(directory: dir), spec: TestData.tinySpec)
        let start = Date()
        let summary = try trainer.run()
        let seconds = Date().timeIntervalSince(start)
        let best = summary.state.bestAccuracy
        let majority = Double(val.classCounts().max()!) / Double(val.count)
        print("tiny CNN, 1500 faces × 5 epochs: best held-out accuracy \(best) (chance 1/7 = 0.143, majority class \(majority)), \(seconds) s")
        // Well above chance (1/7) and above always answering the most frequent class.
        #expect(best > 0.28 && best > majority + 0.03, "held-out accuracy \(best) is not well above chance")
        // Training loss went down.
        let h = summary.state.history.records
        #expect(h.last!.trainLoss < h.first!.trainLoss)
        // Outputs exist: best model loads as a model file, history parses.
        let model = try ModelFile.load(from: trainer.outputs.bestModel)
        #expect(model.spec == TestData.tinySpec)
        #expect(model.provenance["epoch"] == String(summary.state.bestEpoch))
        #expect(try TrainingHistory.load(trainer.outputs.history.path).records.count == 5)
    }

    /// Synthetic faces whose brightness pattern encodes the label.
    static func syntheticData(_ n: Int, seed: UInt64) -> FaceDataset {
        var rng = SplitMix64(seed: seed)
        var px: [UInt8] = [], labels: [UInt8] = []
        for _ in 0 ..< n {
            let y = Int(rng.next() % 7)
            for p in 0 ..< 2304 { px.append(UInt8((p % 48 < y * 6 ? 200 : 40) + Int(rng.next() % 30))) }
            labels.append(UInt8(y))
        }
        return FaceDataset(source: "synthetic", pixels: px, labels: labels)
    }

    @Test func resumeGivesBitIdenticalWeights() throws {
        let train = Self.syntheticData(65, seed: 1), val = Self.syntheticData(20, seed: 2)
        let c = Self.config(epochs: 3, batch: 16)   // 4 batches per epoch (the lone 65th face joins the last), 12 steps
        let dirA = TestData.tempDir(), dirB = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dirA); try? FileManager.default.removeItem(at: dirB) }

        let a = try Trainer(config: c, train: train, validation: val, outputs: TrainingOutputs(directory: dirA), spec: TestData.tinySpec)
        try a.run()

        // Stop mid-epoch 2 (step 6), then again at an epoch boundary (step 8), resuming from disk each time.
        let b1 = try Trainer(config: c, train: train, validation: val, outputs: TrainingOutputs(directory: dirB), spec: TestData.tinySpec)
        let s1 = try b1.run(maxSteps: 6)
        #expect(s1.interrupted && s1.state.step == 6 && s1.state.epoch == 1 && s1.state.batchInEpoch == 2)
        var ck = try Checkpoint.load(from: b1.outputs.checkpoint)
        let b2 = try Trainer(config: TrainConfig(), train: train, validation: val, outputs: TrainingOutputs(directory: dirB), resume: ck)
        #expect(b2.config == b1.config)
        try b2.run(maxSteps: 8)
        ck = try Checkpoint.load(from: b2.outputs.checkpoint)
        #expect(ck.state.epoch == 2 && ck.state.batchInEpoch == 0)
        let b3 = try Trainer(config: TrainConfig(), train: train, validation: val, outputs: TrainingOutputs(directory: dirB), resume: ck)
        let s3 = try b3.run()
        #expect(s3.state.finished && !s3.interrupted)

        let wa = a.network.exportTensors(), wb = b3.network.exportTensors()
        #expect(wa.count == wb.count)
        for (x, y) in zip(wa, wb) {
            #expect(x.name == y.name)
            #expect(x.values.map(\.bitPattern) == y.values.map(\.bitPattern), "\(x.name) differs after resume")
        }
        #expect(a.optimizer.exportState() == b3.optimizer.exportState())
        #expect(a.network.rng.state == b3.network.rng.state)
        let ha = a.state.history.records, hb = b3.state.history.records
        #expect(ha.map(\.trainLoss) == hb.map(\.trainLoss))
        #expect(ha.map(\.valAccuracy) == hb.map(\.valAccuracy))
        #expect(ha.map(\.step) == [4, 8, 12])
        // The best model files are the same bytes apart from the save time.
        let ma = try ModelFile.load(from: a.outputs.bestModel), mb = try ModelFile.load(from: b3.outputs.bestModel)
        #expect(ma.tensors == mb.tensors)
    }

    @Test func checkpointRoundTripsEverything() throws {
        let train = Self.syntheticData(40, seed: 3)
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = Self.config(epochs: 2, batch: 8)
        c.schedule = .plateau
        c.optimizer = .sgd
        let t = try Trainer(config: c, train: train, validation: train.subset([0, 1, 2, 3]), outputs: TrainingOutputs(directory: dir),
                            spec: TestData.tinySpec, provenance: ["data": "x.csv"])
        try t.run(maxSteps: 7)
        let saved = t.checkpoint()
        let back = try Checkpoint.load(from: t.outputs.checkpoint)
        #expect(back.config == c.withArchitecture("tiny"))
        #expect(back.spec == TestData.tinySpec)
        #expect(back.state == saved.state)
        #expect(back.model == saved.model && back.optimizer == saved.optimizer && back.optimizerStep == 7)
        #expect(back.provenance == ["data": "x.csv"])
        #expect(back.normalization == t.normalization)
        #expect(!FileManager.default.fileExists(atPath: t.outputs.checkpoint.path + ".tmp"))

        // Without validation the metrics are NaN and still round-trip.
        let noVal = try Trainer(config: c, train: train, validation: nil, outputs: TrainingOutputs(directory: dir.appendingPathComponent("noval")),
                                spec: TestData.tinySpec)
        try noVal.run()
        let nv = try Checkpoint.load(from: noVal.outputs.checkpoint)
        #expect(nv.state.history.records.count == 2 && nv.state.history.records.allSatisfy { $0.valAccuracy.isNaN })
        #expect(nv.state.bestEpoch == 2 && nv.state.finished)

        // A model file is not a checkpoint.
        #expect(throws: CheckpointError.self) { try Checkpoint.load(from: t.outputs.bestModel) }
    }

    @Test func badRecipeIsRefusedWithTheOptionName() throws {
        var c = TrainConfig()
        c.labelSmoothing = 1.5
        c.architecture = "nope"
        let p = c.problems()
        #expect(p.contains { $0.contains("--label-smoothing") })
        #expect(p.contains { $0.contains("--arch nope") })
        #expect(TrainConfig().problems().isEmpty)
    }

    @Test func classWeights() {
        var c = TrainConfig()
        #expect(c.weights(classCounts: [10, 30]) == nil)
        c.classWeights = .balanced
        #expect(c.weights(classCounts: [10, 30]) == [2, 2.0 / 3])
        c.classWeights = .sqrt
        #expect(c.weights(classCounts: [10, 40])! == [Float(2.5).squareRoot(), Float(0.625).squareRoot()])
    }

    @Test func warmupThenCosine() throws {
        var c = Self.config(epochs: 4, batch: 10)
        c.optimizer = .sgd
        c.learningRate = 0.1
        let t = try Trainer(config: c, train: Self.syntheticData(20, seed: 1), validation: nil,
                            outputs: TrainingOutputs(directory: TestData.tempDir()), spec: TestData.tinySpec)
        // 2 batches per epoch, 1 warm-up epoch: 0.05, 0.1, then cosine down to 0 at step 8.
        #expect(t.learningRate(step: 0, epoch: 0) == 0.05)
        #expect(t.learningRate(step: 1, epoch: 0) == 0.1)
        #expect(t.learningRate(step: 2, epoch: 1) == 0.1)
        #expect(t.learningRate(step: 5, epoch: 2) < 0.1 && t.learningRate(step: 5, epoch: 2) > 0)
        #expect(t.learningRate(step: 8, epoch: 4) == 0)
    }
}

extension TrainConfig {
    func withArchitecture(_ name: String) -> TrainConfig { var c = self; c.architecture = name; return c }
}

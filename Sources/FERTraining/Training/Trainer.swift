// The training loop: builds the network and optimizer from a TrainConfig (or
// restores them from a checkpoint, or starts from a trained model's weights),
// runs epochs of seeded, augmented batches prepared on a background thread,
// validates after each epoch, keeps the best model as a model file, writes a
// checkpoint after every epoch and the history CSV. Resuming from a checkpoint
// gives bit-for-bit the same weights as an uninterrupted run. Argument parsing
// and printing belong to the CLI.
import FERNet
import FERVision
import Foundation

public struct TrainingOutputs: Sendable {
    public var directory: URL
    public var checkpoint: URL { directory.appendingPathComponent("last.ckpt") }
    public var bestModel: URL { directory.appendingPathComponent("best.safetensors") }
    public var history: URL { directory.appendingPathComponent("history.csv") }
    public init(directory: URL) { self.directory = directory }
}

public enum TrainingError: Error, CustomStringConvertible {
    case badConfig([String])
    case emptyTraining(String)
    case io(String)

    public var description: String {
        switch self {
        case .badConfig(let p): return "bad training options: " + p.joined(separator: "; ")
        case .emptyTraining(let s): return "training data \(s) is empty"
        case .io(let m): return m
        }
    }
}

public struct TrainingSummary: Sendable {
    public var state: TrainerState
    public var stoppedEarly: Bool
    /// Set when the run stopped at `maxSteps` or on request before the last epoch.
    public var interrupted: Bool
}

public final class Trainer {
    public let config: TrainConfig
    public let train: FaceDataset
    public let validation: FaceDataset?
    public let outputs: TrainingOutputs
    public let normalization: InputNormalization
    public let network: Network
    public let optimizer: any Optimizer
    public private(set) var state: TrainerState
    private var plateau: ReduceOnPlateau?
    private let provenance: [String: String]
    private let threads: Int
    private let observer: (TrainingEvent) -> Void

    /// A fresh run (`resume` nil) or the continuation of a checkpoint, whose recipe,
    /// normalization and progress then replace `config` (edit `resume.config.epochs`
    /// to extend a run).
    /// `spec` overrides the named architecture (tests, experiments); a checkpoint brings its own.
    /// `initial` (a fresh run only) starts from a trained single-network model instead of
    /// random weights: its architecture and normalization replace the recipe's.
    public init(config: TrainConfig, train: FaceDataset, validation: FaceDataset?, outputs: TrainingOutputs,
                threads: Int = 2, resume: Checkpoint? = nil, spec customSpec: ModelSpec? = nil, initial: LoadedModel? = nil,
                provenance: [String: String] = [:], observer: @escaping (TrainingEvent) -> Void = { _ in }) throws {
        var config = resume?.config ?? config
        let initial = resume == nil ? initial : nil
        if let initial, initial.isEnsemble {
            throw TrainingError.badConfig(["the starting model is an ensemble of \(initial.architecture); start from one of its members' files"])
        }
        let spec = try resume?.spec ?? initial?.spec ?? customSpec ?? Architectures.spec(named: config.architecture)
        config.architecture = spec.name
        let problems = config.problems(customArchitecture: resume != nil || customSpec != nil || initial != nil)
        guard problems.isEmpty else { throw TrainingError.badConfig(problems) }
        guard train.count >= 2 else { throw TrainingError.emptyTraining(train.source) }
        self.config = config
        self.train = train
        self.validation = validation
        self.outputs = outputs
        self.provenance = provenance
        self.threads = max(1, threads)
        self.observer = observer

        guard spec.input == [1, FaceDataset.side, FaceDataset.side] else {
            throw TrainingError.badConfig(["architecture \(spec.name) takes input \(spec.input), the data is [1, 48, 48]"])
        }
        network = try Network(spec: spec, seed: config.seed)
        Threads.setBLAS(1)
        network.workers = max(1, threads)
        normalization = resume?.normalization ?? initial?.normalization ?? Self.normalization(of: train)
        switch config.optimizer {
        case .sgd:
            optimizer = SGD(parameters: network.parameters, learningRate: config.learningRate, momentum: config.momentum,
                            nesterov: config.nesterov, weightDecay: config.weightDecay)
        case .adam:
            optimizer = Adam(parameters: network.parameters, learningRate: config.learningRate, weightDecay: config.weightDecay)
        case .adamw:
            optimizer = Adam.adamW(parameters: network.parameters, learningRate: config.learningRate, weightDecay: config.weightDecay)
        }
        if config.schedule == .plateau {
            plateau = ReduceOnPlateau(initial: config.learningRate, mode: .max, factor: config.plateauFactor,
                                      patience: config.plateauPatience)
        }
        state = TrainerState()
        if let initial {
            do { try network.load(initial.tensors) } catch {
                throw TrainingError.badConfig(["the starting model's weights do not fit \(spec.name): \(error)"])
            }
        }
        if let ck = resume {
            do {
                try network.load(ck.model)
                try optimizer.loadState(OptimizerState(step: ck.optimizerStep, tensors: ck.optimizer))
            } catch {
                throw CheckpointError.notACheckpoint(path: ck.path, reason: "\(error)")
            }
            guard let words = TrainerState.words(ck.state.networkRandom), words.count == 4, words.contains(where: { $0 != 0 }) else {
                throw CheckpointError.notACheckpoint(path: ck.path, reason: "network random state is not 4 hex words")
            }
            network.rng.state = words
            if let p = ck.state.plateau { plateau?.restore(p) }
            state = ck.state
        }
    }

    /// FER2013's mean and spread of this training set, rounded so the model file reads well.
    public static func normalization(of data: FaceDataset) -> InputNormalization {
        var sum = 0.0, sq = 0.0
        for v in data.pixels { let x = Double(v) / 255; sum += x; sq += x * x }
        let n = Double(max(data.pixels.count, 1))
        let mean = sum / n, std = max((sq / n - mean * mean).squareRoot(), 1e-3)
        func round4(_ v: Double) -> Float { Float((v * 10_000).rounded() / 10_000) }
        return InputNormalization(scale: 1.0 / 255.0, mean: round4(mean), std: round4(std))
    }

    public var preprocessor: FacePreprocessor { FacePreprocessor(normalization: normalization) }
    public var batchesPerEpoch: Int { EpochPlan.batchCount(count: train.count, batchSize: config.batchSize) }

    /// Learning rate for the next step.
    func learningRate(step: Int, epoch: Int) -> Float {
        let perEpoch = batchesPerEpoch
        let warmupSteps = config.effectiveWarmupEpochs * perEpoch
        switch config.schedule {
        case .cosine:
            return CosineSchedule(base: config.learningRate, total: config.epochs * perEpoch, warmup: warmupSteps,
                                  minimum: config.minLearningRate).learningRate(at: step)
        case .step, .plateau, .constant:
            let base: Float
            switch config.schedule {
            case .step: base = StepSchedule(base: config.learningRate, stepSize: config.stepEpochs, gamma: config.stepGamma).learningRate(at: epoch)
            case .plateau: base = plateau!.learningRate
            default: base = config.learningRate
            }
            return step < warmupSteps ? base * Float(step + 1) / Float(warmupSteps) : base
        }
    }

    /// Trains until the last epoch, early stopping, or `maxSteps` optimizer steps
    /// in total (a checkpoint is written there too). `checkpointEvery` adds
    /// mid-epoch checkpoints every that many steps.
    /// `shouldStop` is asked before every batch (e.g. after SIGINT): when it says yes,
    /// a checkpoint is written at that step and the run returns as interrupted.
    @discardableResult
    public func run(maxSteps: Int? = nil, checkpointEvery: Int? = nil,
                    shouldStop: @escaping () -> Bool = { false }) throws -> TrainingSummary {
        let loss = SoftmaxCrossEntropy(classWeights: config.weights(classCounts: train.classCounts()),
                                       labelSmoothing: config.labelSmoothing)
        let maker = BatchMaker(data: train, preprocessor: preprocessor, augmentation: config.augmentation, seed: config.seed)
        let perEpoch = batchesPerEpoch
        var stoppedEarly = false
        let runStart = Date()
        var stepsThisRun = 0
        if state.finished { observer(.note("the checkpoint's run is already finished (epoch \(state.epoch) of \(config.epochs))")) }

        while !state.finished && state.epoch < config.epochs {
            let epoch = state.epoch
            let plan = EpochPlan(count: train.count, batchSize: config.batchSize, seed: config.seed, epoch: epoch)
            let first = state.batchInEpoch
            let batches = plan.batches
            let prefetch = Prefetcher(count: batches.count - first, depth: 3) { k in
                maker.batch(batches[first + k], epoch: epoch, augment: true)
            }
            var epochStart = Date().addingTimeInterval(-state.epochSeconds)
            var seenThisRun = 0
            let epochRunStart = Date()
            for b in first ..< batches.count {
                if shouldStop() || (maxSteps.map { state.step >= $0 } ?? false) {
                    prefetch.stop()
                    state.epochSeconds = Date().timeIntervalSince(epochStart)
                    try saveCheckpoint()
                    return TrainingSummary(state: state, stoppedEarly: false, interrupted: true)
                }
                guard let batch = prefetch.next() else { break }
                let lr = learningRate(step: state.step, epoch: epoch)
                optimizer.learningRate = lr
                network.zeroGrad()
                let logits = network.forward(batch.inputs, training: true)
                let (l, d) = batch.targets.map { loss.lossAndGradient(logits: logits, targets: $0) }
                    ?? loss.lossAndGradient(logits: logits, labels: batch.labels)
                network.backward(d)
                optimizer.step()
                state.step += 1
                stepsThisRun += 1
                state.batchInEpoch = b + 1

                let n = batch.labels.count
                state.epochLossSum += Double(l) * Double(n)
                state.epochSeen += n
                state.epochCorrect += Self.correct(logits: logits, labels: batch.labels)
                seenThisRun += n

                let epochElapsed = Date().timeIntervalSince(epochRunStart)
                let perBatch = Date().timeIntervalSince(runStart) / Double(stepsThisRun)
                let batchesLeft = (config.epochs - epoch) * perEpoch - (b + 1)
                observer(.batch(BatchProgress(
                    epoch: epoch + 1, epochs: config.epochs, batch: b + 1, batches: batches.count, step: state.step,
                    learningRate: lr, imagesPerSecond: Double(seenThisRun) / max(epochElapsed, 1e-9),
                    etaSeconds: perBatch * Double(batchesLeft) * 1.05,
                    loss: state.epochLossSum / Double(state.epochSeen), accuracy: Double(state.epochCorrect) / Double(state.epochSeen))))

                if let every = checkpointEvery, every > 0, state.step % every == 0, b + 1 < batches.count {
                    state.epochSeconds = Date().timeIntervalSince(epochStart)
                    try saveCheckpoint()
                }
            }
            prefetch.stop()
            let trainSeconds = Date().timeIntervalSince(epochStart)
            epochStart = Date()

            // Validation.
            var valLoss = Double.nan, valAcc = Double.nan
            if let validation, validation.count > 0 {
                let ev = try Evaluator.evaluate(nets: [network], data: validation, preprocessor: preprocessor, threads: threads)
                valLoss = ev.loss
                valAcc = ev.accuracy
            }
            let record = EpochRecord(
                epoch: epoch + 1, step: state.step, learningRate: Double(optimizer.learningRate),
                trainLoss: state.epochLossSum / Double(max(state.epochSeen, 1)),
                trainAccuracy: Double(state.epochCorrect) / Double(max(state.epochSeen, 1)),
                valLoss: valLoss, valAccuracy: valAcc, seconds: trainSeconds,
                imagesPerSecond: Double(state.epochSeen) / max(trainSeconds, 1e-9))
            state.history.records.append(record)

            // Best model, early stopping, plateau.
            // Without validation the latest epoch counts as the best.
            let isBest = valAcc.isNaN || valAcc > state.bestAccuracy
            if isBest {
                if !valAcc.isNaN { state.bestAccuracy = valAcc }
                state.bestEpoch = epoch + 1
                state.epochsWithoutImprovement = 0
                try saveBestModel(record: record)
            } else {
                state.epochsWithoutImprovement += 1
            }
            if let plateau, !valAcc.isNaN { plateau.update(metric: Float(valAcc)) }
            state.plateau = plateau?.state

            state.epoch = epoch + 1
            state.batchInEpoch = 0
            state.epochLossSum = 0; state.epochCorrect = 0; state.epochSeen = 0; state.epochSeconds = 0
            if config.earlyStopPatience > 0 && state.epochsWithoutImprovement >= config.earlyStopPatience {
                stoppedEarly = true
                state.finished = true
                observer(.note("early stop: no better validation accuracy for \(config.earlyStopPatience) epochs (best \(String(format: "%.2f", state.bestAccuracy * 100)) % at epoch \(state.bestEpoch))"))
            }
            if state.epoch >= config.epochs { state.finished = true }
            try saveCheckpoint()
            try writeHistory()
            observer(.epoch(record, isBest: isBest, epochs: config.epochs))
        }
        return TrainingSummary(state: state, stoppedEarly: stoppedEarly, interrupted: false)
    }

    static func correct(logits: Tensor, labels: [Int]) -> Int {
        let k = logits.shape[1], v = logits.toArray()
        var c = 0
        for (i, y) in labels.enumerated() {
            var best = 0
            for j in 1 ..< k where v[i * k + j] > v[i * k + best] { best = j }
            if best == y { c += 1 }
        }
        return c
    }

    /// The current state as a checkpoint value.
    public func checkpoint() -> Checkpoint {
        var s = state
        s.networkRandom = TrainerState.hex(network.rng.state)
        s.plateau = plateau?.state
        let opt = optimizer.exportState()
        return Checkpoint(spec: network.spec, config: config, normalization: normalization, state: s,
                          model: network.exportTensors(), optimizerStep: opt.step, optimizer: opt.tensors, provenance: provenance)
    }

    public func saveCheckpoint() throws {
        try checkpoint().save(to: outputs.checkpoint)
    }

    func writeHistory() throws {
        try AtomicFile.write(state.history.csv, to: outputs.history) { TrainingError.io("\(outputs.history.path): cannot write: \($0)") }
    }

    func saveBestModel(record: EpochRecord) throws {
        var p = provenance
        p["epoch"] = String(record.epoch)
        p["step"] = String(record.step)
        if record.valAccuracy.isFinite, let v = validation {
            let se = (record.valAccuracy * (1 - record.valAccuracy) / Double(v.count)).squareRoot()
            p["validation"] = v.source
            p["validation_accuracy"] = String(format: "%.4f", record.valAccuracy)
            p["validation_accuracy_se"] = String(format: "%.4f", se)
        }
        p["train_images"] = String(train.count)
        p["recipe"] = Self.recipeText(config)
        p["saved"] = ISO8601DateFormatter().string(from: Date())
        try ModelFile.save(spec: network.spec, tensors: network.exportTensors(), normalization: normalization,
                           labels: Emotion.names, provenance: p, to: outputs.bestModel)
    }

    /// One line describing the recipe, for provenance and logs.
    public static func recipeText(_ c: TrainConfig) -> String {
        var parts = ["\(c.architecture)", "\(c.optimizer.rawValue) lr \(c.learningRate)"]
        if c.optimizer == .sgd { parts.append("momentum \(c.momentum)\(c.nesterov ? " nesterov" : "")") }
        parts.append("wd \(c.weightDecay)")
        parts.append("\(c.schedule.rawValue) schedule, warm-up \(c.warmupEpochs) epochs")
        parts.append("batch \(c.batchSize)")
        parts.append("\(c.epochs) epochs (early stop \(c.earlyStopPatience))")
        parts.append("label smoothing \(c.labelSmoothing)")
        parts.append("class weights \(c.classWeights.rawValue)")
        let a = c.augmentation
        parts.append("augment flip \(a.flip) shift \(a.maxShift) rot \(a.maxRotation) scale \(a.scale) bright \(a.brightness) contrast \(a.contrast) erase \(a.erase)")
        if let f = c.ferPlus { parts.append("FER+ \(f.rawValue)") }
        if let d = c.distillation { parts.append("teacher weight \(d.weight) temperature \(d.temperature)") }
        parts.append("seed \(c.seed)")
        return parts.joined(separator: ", ")
    }
}

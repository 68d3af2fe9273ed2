// `fer-train train`: reads the data, builds the recipe from the options (or
// from --resume's checkpoint), runs FERTraining.Trainer and shows progress.
// Argument parsing and wiring only.
import ArgumentParser
import FERNet
import FERTraining
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the emotion CNN on FER2013 (CSV or image folders).",
        discussion: """
        Examples:
          # the default recipe: fer-vgg, SGD with Nesterov momentum, cosine
          # learning rate with warm-up, label smoothing, augmentation
          fer-train train --data ../shared/data/fer2013/fer2013.csv.gz
          # continue a stopped run exactly where its last checkpoint left off
          fer-train train --resume runs/fer-vgg/last.ckpt
          # FER+ soft labels for the Training rows (PublicTest keeps its labels)
          fer-train train --data ../shared/data/fer2013/fer2013.csv.gz \\
            --ferplus ../shared/data/ferplus/fer2013new.csv.gz
          # distillation: start from a trained model and learn, on top of the
          # labels, what an ensemble of models says about each training face
          fer-train train --data ../shared/data/fer2013/fer2013.csv.gz \\
            --init-model models/emotion-cnn.safetensors --teacher runs/ensemble.safetensors \\
            --epochs 12 --lr 0.01 --warmup-epochs 1 --out runs/distilled
          # image folders: faces/train/<emotion>/*.png, faces/test/<emotion>/...
          fer-train train --data faces --val-split test --out runs/folders
          # a quick smoke run: 2,000 faces, one epoch
          fer-train train --data ../shared/data/fer2013/fer2013.csv.gz \\
            --limit 2000 --epochs 1 --out /tmp/smoke

        Writes into --out: last.ckpt after every epoch (weights, optimizer
        state, random state, history), best.safetensors (the model file with
        the best validation accuracy) and history.csv. Only --val-split
        (PublicTest) is used for model selection and early stopping.
        Progress goes to stderr: a live bar on a terminal, plain lines
        otherwise. Ctrl-C (or SIGTERM) writes last.ckpt at the next batch and
        exits with 130; --resume continues from there.
        """)

    // Data.
    @Option(help: "FER2013 CSV (.csv or .csv.gz) or image-folder root (<root>/train/<emotion>/*.png, <root>/test/...). With --resume: the checkpoint's data by default.")
    var data: String?
    @Option(help: "FER+ labels (fer2013new.csv[.gz]) for the training rows.") var ferplus: String?
    @Option(help: "How FER+ votes become targets: soft (vote distribution) or majority.") var ferplusMode: FERPlusMode = .soft
    @Option(help: "Distill from this model file (one network or an ensemble): its probabilities on the unaugmented training faces are blended into the targets.") var teacher: String?
    @Option(help: "Share of the teacher in each target, in (0, 1]; the rest is the label.") var teacherWeight: Float = Distillation().weight
    @Option(help: "Teacher temperature: p becomes p^(1/T), renormalized (T > 1 softens).") var teacherTemperature: Float = Distillation().temperature
    @Option(help: "Split to train on.") var trainSplit = "Training"
    @Option(help: "Split to validate on after each epoch (model selection, early stopping); 'none' to skip.") var valSplit = "PublicTest"
    @Option(help: "Use only the first N training faces (smoke runs).") var limit: Int?
    @Option(help: "Use only the first N validation faces.") var limitVal: Int?

    // Recipe.
    @Option(help: "Architecture: \(Architectures.names.joined(separator: ", ")) (default: \(TrainConfig().architecture)).") var arch: String?
    @Option(help: "Start from this trained model's weights (one network) instead of random ones; its architecture and normalization are used.") var initModel: String?
    @Option(help: "Epochs (default: \(TrainConfig().epochs)). With --resume: extends the run to this many epochs.") var epochs: Int?
    @Option(help: "Faces per batch.") var batch = TrainConfig().batchSize
    @Option(help: "Optimizer: sgd, adam, adamw.") var optimizer: OptimizerKind = TrainConfig().optimizer
    @Option(help: "Peak learning rate.") var lr: Float = TrainConfig().learningRate
    @Option(help: "SGD momentum.") var momentum: Float = TrainConfig().momentum
    @Flag(help: "Plain momentum instead of Nesterov.") var noNesterov = false
    @Option(help: "Weight decay (L2 for sgd/adam, decoupled for adamw).") var weightDecay: Float = TrainConfig().weightDecay
    @Option(help: "LR schedule: cosine, step, plateau, constant.") var schedule: ScheduleKind = TrainConfig().schedule
    @Option(help: "Linear warm-up epochs.") var warmupEpochs = TrainConfig().warmupEpochs
    @Option(help: "Final learning rate of the cosine schedule.") var minLr: Float = TrainConfig().minLearningRate
    @Option(help: "Step schedule: epochs between cuts.") var stepEpochs = TrainConfig().stepEpochs
    @Option(help: "Step schedule: factor per cut.") var stepGamma: Float = TrainConfig().stepGamma
    @Option(help: "Plateau schedule: epochs without a better validation accuracy before a cut.") var plateauPatience = TrainConfig().plateauPatience
    @Option(help: "Plateau schedule: factor per cut.") var plateauFactor: Float = TrainConfig().plateauFactor
    @Option(help: "Label smoothing.") var labelSmoothing: Float = TrainConfig().labelSmoothing
    @Option(help: "Class weights against the imbalance: none, balanced, sqrt.") var classWeights: ClassWeighting = TrainConfig().classWeights
    @Option(help: "Early stopping: epochs without a better validation accuracy (0: off).") var patience = TrainConfig().earlyStopPatience
    @Option(help: "Seed for initialization, order, augmentation and dropout.") var seed: UInt64 = TrainConfig().seed

    // Augmentation.
    @Flag(help: "Turn all augmentation off.") var noAugment = false
    @Flag(help: "No horizontal flips.") var noFlip = false
    @Option(help: "Largest random shift in pixels.") var shift: Float = AugmentationConfig().maxShift
    @Option(help: "Largest random rotation in degrees.") var rotation: Float = AugmentationConfig().maxRotation
    @Option(help: "Random scale range (1 ± this).") var scale: Float = AugmentationConfig().scale
    @Option(help: "Random brightness (± this fraction of 255).") var brightness: Float = AugmentationConfig().brightness
    @Option(help: "Random contrast (1 ± this).") var contrast: Float = AugmentationConfig().contrast
    @Option(help: "Probability of erasing a random rectangle.") var erase: Float = AugmentationConfig().erase

    // Run.
    @Option(help: "Output folder (default: runs/<arch>; with --resume: the checkpoint's folder).") var out: String?
    @Option(help: "Checkpoint (last.ckpt) to continue from; the recipe comes from it.") var resume: String?
    @Option(help: "When training ends, also copy the best model here (e.g. \(ModelFile.defaultPath)).") var modelOut: String?
    @Flag(help: "Start over even if --out already holds a run.") var overwrite = false
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Stop after this many optimizer steps in total (a checkpoint is written).") var maxSteps: Int?
    @Option(help: "Also write last.ckpt every N steps within an epoch.") var checkpointEvery: Int?

    func validate() throws {
        if resume == nil && data == nil { throw ValidationError("--data is required (e.g. --data ../shared/data/fer2013/fer2013.csv.gz), or --resume a checkpoint") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2") }
        if let limitVal, limitVal < 1 { throw ValidationError("--limit-val must be at least 1") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if resume != nil && (initModel != nil || teacher != nil) {
            throw ValidationError("--init-model and --teacher start a run; --resume takes them from the checkpoint")
        }
        if resume == nil {
            let problems = recipe().problems()
            if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
        }
    }

    func recipe() -> TrainConfig {
        var c = TrainConfig()
        c.architecture = arch ?? TrainConfig().architecture
        if let epochs { c.epochs = epochs }
        c.batchSize = batch
        c.optimizer = optimizer
        c.learningRate = lr
        c.momentum = momentum
        c.nesterov = !noNesterov
        c.weightDecay = weightDecay
        c.schedule = schedule
        c.warmupEpochs = warmupEpochs
        c.minLearningRate = minLr
        c.stepEpochs = stepEpochs
        c.stepGamma = stepGamma
        c.plateauPatience = plateauPatience
        c.plateauFactor = plateauFactor
        c.labelSmoothing = labelSmoothing
        c.classWeights = classWeights
        c.earlyStopPatience = patience
        c.seed = seed
        c.ferPlus = ferplus == nil ? nil : ferplusMode
        c.distillation = teacher == nil ? nil : Distillation(weight: teacherWeight, temperature: teacherTemperature)
        var a = AugmentationConfig()
        a.flip = !noFlip
        a.maxShift = shift; a.maxRotation = rotation; a.scale = scale
        a.brightness = brightness; a.contrast = contrast; a.erase = erase
        c.augmentation = noAugment ? .none : a
        return c
    }

    func run() throws {
        do { try train() } catch let e as ExitCode { throw e } catch { throw Failure.exit("train", error) }
    }

    private func train() throws {
        let printer = ProgressPrinter()
        // Resume: recipe, data settings and folder come from the checkpoint.
        var checkpoint: Checkpoint?
        if let resume {
            var ck = try Checkpoint.load(from: URL(fileURLWithPath: resume))
            if let epochs, epochs != ck.config.epochs {
                ck.config.epochs = epochs
                ck.state.finished = ck.state.epoch >= epochs
            }
            checkpoint = ck
        }
        let saved = checkpoint?.provenance ?? [:]
        let dataPath = data ?? saved["data"]!
        let ferPlusPath = resume == nil ? ferplus : saved["ferplus"]
        let mode = resume == nil ? ferplusMode : (saved["ferplus_mode"].flatMap(FERPlusMode.init(rawValue:)) ?? .soft)
        let trainName = resume == nil ? trainSplit : saved["train_split"] ?? trainSplit
        let valName = resume == nil ? valSplit : saved["val_split"] ?? valSplit
        let trainLimit = resume == nil ? limit : saved["limit"].flatMap { Int($0) }
        let valLimit = resume == nil ? limitVal : saved["limit_val"].flatMap { Int($0) }
        let teacherPath = resume == nil ? teacher : saved["teacher"]
        var config = checkpoint?.config ?? recipe()
        var initial: LoadedModel?
        if let initModel {
            let m = try ModelFile.load(from: URL(fileURLWithPath: initModel))
            if let arch, arch != m.architecture {
                throw ValidationErrorText("--arch \(arch) but --init-model \(initModel) is \(m.architecture); leave out --arch")
            }
            config.architecture = m.spec.name
            initial = m
        }

        let outDir = out ?? (resume.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "runs/\(config.architecture)")
        let outputs = TrainingOutputs(directory: URL(fileURLWithPath: outDir))
        if resume == nil && !overwrite && FileManager.default.fileExists(atPath: outputs.checkpoint.path) {
            throw ValidationErrorText("\(outDir) already holds a run (\(outputs.checkpoint.path)); continue it with --resume \(outputs.checkpoint.path), or pass --overwrite or another --out")
        }

        let loadStart = Date()
        let splits = try DataSource.load(dataPath, ferPlus: ferPlusPath, ferPlusMode: mode)
        var trainData = try splits.split(trainName)
        if let trainLimit, trainLimit < trainData.count { trainData = trainData.subset(Array(0 ..< trainLimit)) }
        var valData: FaceDataset?
        if valName.lowercased() != "none" {
            var v = try splits.split(valName)
            if let valLimit, valLimit < v.count { v = v.subset(Array(0 ..< valLimit)) }
            valData = v
        }
        printer.handle(.note(String(format: "data %@: %d training faces (%@), %d validation faces (%@), loaded in %.1f s",
                                    dataPath, trainData.count, trainName, valData?.count ?? 0, valName, Date().timeIntervalSince(loadStart))))
        if let teacherPath, let d = config.distillation {
            let start = Date()
            let model = try ModelFile.load(from: URL(fileURLWithPath: teacherPath))
            let (taught, agreement) = try TeacherTargets.apply(teacher: model, path: teacherPath, to: trainData, d, threads: threads)
            trainData = taught
            printer.handle(.note(String(format: "teacher %@ (%@): targets for %d training faces in %.1f s; its top class is the label for %.2f %% of them",
                                        teacherPath, model.architecture, trainData.count, Date().timeIntervalSince(start), agreement * 100)))
        }
        if let ck = checkpoint, let n = ck.provenance["train_images"], Int(n) != trainData.count {
            throw CheckpointError.mismatch(path: resume!, reason: "it was trained on \(n) faces, the data now gives \(trainData.count)")
        }

        var provenance: [String: String] = [
            "tool": "fer-train train",
            "command": CommandLine.arguments.joined(separator: " "),
            "data": dataPath,
            "train_split": trainName,
            "val_split": valName,
            "train_images": String(trainData.count),
        ]
        if let ferPlusPath { provenance["ferplus"] = ferPlusPath; provenance["ferplus_mode"] = mode.rawValue }
        if let teacherPath { provenance["teacher"] = teacherPath }
        if let initModel { provenance["init"] = initModel }
        if let trainLimit { provenance["limit"] = String(trainLimit) }
        if let valLimit { provenance["limit_val"] = String(valLimit) }
        if let ck = checkpoint { provenance = ck.provenance.merging(["resumed_with": provenance["command"]!]) { $1 } }

        let trainer = try Trainer(config: config, train: trainData, validation: valData, outputs: outputs, threads: threads,
                                  resume: checkpoint, initial: initial, provenance: provenance, observer: printer.handle)
        if let ck = checkpoint {
            printer.handle(.note("resuming \(resume!) at epoch \(ck.state.epoch + 1), batch \(ck.state.batchInEpoch + 1), step \(ck.state.step)"))
        }
        printer.handle(.note("recipe: \(Trainer.recipeText(trainer.config))"))
        printer.handle(.note("network \(trainer.network.spec.name): \(trainer.network.parameterCount) parameters; \(trainer.batchesPerEpoch) batches per epoch; \(threads) threads; out \(outDir)"))
        let stop = try StopSignal { sig in
            FileHandle.standardError.write(Data("\nsignal \(sig): writing a checkpoint after this batch (send it again to quit at once)\n".utf8))
        }
        let summary = try trainer.run(maxSteps: maxSteps, checkpointEvery: checkpointEvery, shouldStop: { stop.isRequested })
        let s = summary.state
        if summary.interrupted {
            let why = stop.isRequested ? "on request" : "at --max-steps"
            printer.handle(.note("stopped \(why) at step \(s.step), checkpoint \(outputs.checkpoint.path); continue with: fer-train train --resume \(outputs.checkpoint.path)"))
            if stop.isRequested { throw ExitCode(130) }
        } else {
            let best = s.bestAccuracy >= 0 ? String(format: "%.2f %% at epoch %d", s.bestAccuracy * 100, s.bestEpoch) : "n/a"
            printer.handle(.note("done: best validation accuracy \(best); model \(outputs.bestModel.path), history \(outputs.history.path)"))
            if let modelOut {
                let bytes = try DatasetFile.read(outputs.bestModel.path)
                try AtomicFile.write(bytes, to: URL(fileURLWithPath: modelOut)) { TrainingError.io("\(modelOut): cannot write: \($0)") }
                printer.handle(.note("copied the best model to \(modelOut)"))
            }
        }
    }
}

/// A usage problem found after parsing (exit 64).
struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

extension FERPlusMode: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
extension ClassWeighting: ExpressibleByArgument {}

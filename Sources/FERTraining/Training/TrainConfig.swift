// The training recipe as one Codable value: architecture, optimizer, schedule,
// loss options, augmentation, stopping rules, seed. Stored in every checkpoint
// so --resume continues with exactly the recipe it started with. Defaults are
// the recipe for a real FER2013 run. No behaviour here beyond checks.
import FERNet

public enum OptimizerKind: String, Codable, Sendable, CaseIterable { case sgd, adam, adamw }
public enum ScheduleKind: String, Codable, Sendable, CaseIterable { case cosine, step, plateau, constant }
public enum ClassWeighting: String, Codable, Sendable, CaseIterable {
    /// All classes weigh 1.
    case none
    /// w_c = N / (K · n_c): every class contributes equally.
    case balanced
    /// w_c = sqrt(N / (K · n_c)): halfway (on a log scale) between none and balanced.
    case sqrt
}

public struct TrainConfig: Codable, Sendable, Equatable {
    public var architecture = Architectures.defaultName
    public var epochs = 40
    public var batchSize = 64
    public var optimizer = OptimizerKind.sgd
    public var learningRate: Float = 0.05
    public var momentum: Float = 0.9
    public var nesterov = true
    public var weightDecay: Float = 5e-4
    public var schedule = ScheduleKind.cosine
    /// Linear warm-up length in epochs (capped at epochs - 1).
    public var warmupEpochs = 2
    public var effectiveWarmupEpochs: Int { min(warmupEpochs, epochs - 1) }
    /// Floor of the cosine schedule.
    public var minLearningRate: Float = 0
    /// Step schedule: multiply by stepGamma every stepEpochs epochs.
    public var stepEpochs = 15
    public var stepGamma: Float = 0.1
    /// Plateau schedule: multiply by plateauFactor after plateauPatience epochs without a better validation accuracy.
    public var plateauPatience = 3
    public var plateauFactor: Float = 0.5
    public var labelSmoothing: Float = 0.1
    public var classWeights = ClassWeighting.none
    public var augmentation = AugmentationConfig()
    /// Stop after this many epochs without a better validation accuracy (0: never). Large by
    /// default: under a cosine schedule the best epochs come last, when the rate is small.
    public var earlyStopPatience = 20
    public var seed: UInt64 = 1
    /// Use FER+ labels for the training rows (nil: FER2013 labels).
    public var ferPlus: FERPlusMode?
    /// Blend a teacher model's probabilities into the targets (nil: off); the teacher's path is in the provenance.
    public var distillation: Distillation?

    public init() {}

    /// Problems with the recipe, as messages naming the option; empty when fine.
    /// `customArchitecture`: the spec comes from elsewhere (a checkpoint), so the name need not be known.
    public func problems(customArchitecture: Bool = false) -> [String] {
        var p: [String] = []
        if !customArchitecture, (try? Architectures.spec(named: architecture)) == nil { p.append("--arch \(architecture): unknown; known: \(Architectures.names.joined(separator: ", "))") }
        if epochs < 1 { p.append("--epochs must be at least 1") }
        if batchSize < 2 { p.append("--batch must be at least 2 (batch norm needs two faces)") }
        if !(learningRate > 0) || !learningRate.isFinite { p.append("--lr must be a positive number") }
        if momentum < 0 || momentum >= 1 { p.append("--momentum must be in [0, 1)") }
        if weightDecay < 0 { p.append("--weight-decay must not be negative") }
        if warmupEpochs < 0 { p.append("--warmup-epochs must not be negative") }
        if minLearningRate < 0 || minLearningRate > learningRate { p.append("--min-lr must be in [0, lr]") }
        if stepEpochs < 1 { p.append("--step-epochs must be at least 1") }
        if plateauFactor <= 0 || plateauFactor >= 1 { p.append("--plateau-factor must be in (0, 1)") }
        if labelSmoothing < 0 || labelSmoothing >= 1 { p.append("--label-smoothing must be in [0, 1)") }
        if earlyStopPatience < 0 { p.append("--patience must not be negative") }
        let a = augmentation
        if a.maxShift < 0 || a.maxShift > 16 { p.append("--shift must be in 0…16 pixels") }
        if a.maxRotation < 0 || a.maxRotation > 45 { p.append("--rotation must be in 0…45 degrees") }
        if a.scale < 0 || a.scale >= 0.5 { p.append("--scale must be in [0, 0.5)") }
        if a.brightness < 0 || a.brightness > 1 || a.contrast < 0 || a.contrast >= 1 { p.append("--brightness must be in 0…1 and --contrast in [0, 1)") }
        if a.erase < 0 || a.erase > 1 { p.append("--erase must be a probability in 0…1") }
        if let d = distillation { p += d.problems }
        return p
    }

    /// Class weights for these per-class training counts, or nil for `.none`.
    public func weights(classCounts: [Int]) -> [Float]? {
        let n = Float(classCounts.reduce(0, +)), k = Float(classCounts.count)
        switch classWeights {
        case .none: return nil
        case .balanced: return classCounts.map { $0 == 0 ? 0 : n / (k * Float($0)) }
        case .sqrt: return classCounts.map { $0 == 0 ? 0 : (n / (k * Float($0))).squareRoot() }
        }
    }
}

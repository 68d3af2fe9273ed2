// Everything about a training run's progress that is not a tensor: where it
// is (epoch, batch, step), the random state, running sums of the current
// epoch, the schedule's and early stopping's memory, and the history. Saved in
// the checkpoint metadata as JSON; 64-bit words travel as hex strings.
import FERNet

public struct TrainerState: Codable, Sendable, Equatable {
    /// Epoch being trained (0-based) and batches of it already done.
    public var epoch = 0
    public var batchInEpoch = 0
    /// Optimizer steps so far.
    public var step = 0
    /// The network's random state (dropout), 4 words in hex.
    public var networkRandom: [String] = []
    /// Running sums over the current epoch's finished batches.
    public var epochLossSum = 0.0
    public var epochCorrect = 0
    public var epochSeen = 0
    public var epochSeconds = 0.0
    /// Reduce-on-plateau memory (plateau schedule only).
    public var plateau: ReduceOnPlateau.State?
    /// Best validation accuracy so far and its epoch (1-based; 0 = none yet).
    public var bestAccuracy = -1.0
    public var bestEpoch = 0
    /// Epochs since the best one.
    public var epochsWithoutImprovement = 0
    /// True once training finished or stopped early.
    public var finished = false
    public var history = TrainingHistory()

    public init() {}

    static func hex(_ words: [UInt64]) -> [String] { words.map { String($0, radix: 16) } }
    static func words(_ hex: [String]) -> [UInt64]? {
        let w = hex.compactMap { UInt64($0, radix: 16) }
        return w.count == hex.count ? w : nil
    }
}

// What the training loop tells its observer: per-batch progress, per-epoch
// results, notes. Plain values; the CLI decides how to show them.

public struct BatchProgress: Sendable, Equatable {
    /// 1-based epoch and batch.
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    public var step: Int
    public var learningRate: Float
    /// Training images per second in this epoch (this process).
    public var imagesPerSecond: Double
    /// Seconds left for the whole run at the current speed (validation included roughly).
    public var etaSeconds: Double
    /// Running means over the epoch so far.
    public var loss: Double
    public var accuracy: Double
}

public enum TrainingEvent: Sendable {
    case batch(BatchProgress)
    case epoch(EpochRecord, isBest: Bool, epochs: Int)
    case note(String)
}

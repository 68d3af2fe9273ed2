// Learning-rate schedules. Step and cosine are pure functions of an index
// (epoch or iteration: the caller chooses and says so); reduce-on-plateau is
// stateful and its state is a Codable value for checkpoints.

#if canImport(Glibc)
import Glibc
#endif

public protocol LearningRateSchedule: Sendable {
    /// Learning rate for index t (t = 0 for the first epoch/iteration).
    func learningRate(at t: Int) -> Float
}

/// base * gamma^(floor(t / stepSize)).
public struct StepSchedule: LearningRateSchedule {
    public var base: Float, stepSize: Int, gamma: Float
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "step size \(stepSize) must be positive")
        self.base = base; self.stepSize = stepSize; self.gamma = gamma
    }
    public func learningRate(at t: Int) -> Float { base * powf(gamma, Float(t / stepSize)) }
}

/// Linear warm-up from base/warmup to base over `warmup` steps, then cosine
/// decay to `minimum` at `total`; stays at `minimum` afterwards.
public struct CosineSchedule: LearningRateSchedule {
    public var base: Float, minimum: Float, warmup: Int, total: Int
    public init(base: Float, total: Int, warmup: Int = 0, minimum: Float = 0) {
        precondition(total > warmup && warmup >= 0, "cosine schedule needs total \(total) > warmup \(warmup) >= 0")
        self.base = base; self.minimum = minimum; self.warmup = warmup; self.total = total
    }
    public func learningRate(at t: Int) -> Float {
        if t < warmup { return base * Float(t + 1) / Float(warmup) }
        if t >= total { return minimum }
        let progress = Double(t - warmup) / Double(total - warmup)
        return minimum + (base - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}

/// Cuts the learning rate by `factor` when the watched metric has not improved
/// (by more than `threshold`, relative) for more than `patience` updates.
public final class ReduceOnPlateau {
    public enum Mode: String, Codable, Sendable { case min, max }

    public struct State: Codable, Equatable, Sendable {
        public var learningRate: Float
        public var best: Float?
        public var badUpdates: Int
        public var cooldownLeft: Int
    }

    public let mode: Mode
    public let factor: Float, patience: Int, threshold: Float, cooldown: Int, minimum: Float
    public private(set) var state: State

    public init(initial: Float, mode: Mode = .min, factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4,
                cooldown: Int = 0, minimum: Float = 0) {
        precondition(factor > 0 && factor < 1, "plateau factor \(factor) must be in (0, 1)")
        self.mode = mode; self.factor = factor; self.patience = patience
        self.threshold = threshold; self.cooldown = cooldown; self.minimum = minimum
        state = State(learningRate: initial, best: nil, badUpdates: 0, cooldownLeft: 0)
    }

    public var learningRate: Float { state.learningRate }

    /// Feeds one metric value (e.g. validation loss per epoch); returns the learning rate to use next.
    @discardableResult
    public func update(metric: Float) -> Float {
        let improved: Bool
        if let best = state.best {
            improved = mode == .min ? metric < best * (1 - threshold) : metric > best * (1 + threshold)
        } else {
            improved = true
        }
        if improved { state.best = metric; state.badUpdates = 0 } else { state.badUpdates += 1 }
        if state.cooldownLeft > 0 { state.cooldownLeft -= 1; state.badUpdates = 0 }
        if state.badUpdates > patience {
            state.learningRate = max(state.learningRate * factor, minimum)
            state.cooldownLeft = cooldown
            state.badUpdates = 0
        }
        return state.learningRate
    }

    /// Restores a saved state (from `state`).
    public func restore(_ saved: State) { state = saved }
}

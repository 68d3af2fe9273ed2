// Shows training events on stderr: a live single-line bar redrawn in place
// when stderr is a terminal, plain lines (at most one every `plainEvery`
// seconds, plus one per epoch) otherwise, so logs stay readable. Text only.
import Foundation

public final class ProgressPrinter {
    public let live: Bool
    public let plainEvery: TimeInterval
    private var lastPlain = Date.distantPast
    private var lineOpen = false
    private let write: (String) -> Void

    /// `live` nil: decided by isatty(stderr).
    public init(live: Bool? = nil, plainEvery: TimeInterval = 30,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.live = live ?? (isatty(STDERR_FILENO) == 1)
        self.plainEvery = plainEvery
        self.write = write
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "--:--" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%02d:%02d", t / 60, t % 60)
    }

    public static func batchLine(_ p: BatchProgress, width: Int = 20) -> String {
        let filled = p.batches == 0 ? 0 : width * p.batch / p.batches
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return String(format: "epoch %d/%d [%@] %d/%d  loss %.4f  acc %.2f%%  lr %.4g  %.0f img/s  ETA %@",
                      p.epoch, p.epochs, bar, p.batch, p.batches, p.loss, p.accuracy * 100, Double(p.learningRate),
                      p.imagesPerSecond, duration(p.etaSeconds))
    }

    public static func epochLine(_ r: EpochRecord, epochs: Int, isBest: Bool) -> String {
        var s = String(format: "epoch %d/%d  train loss %.4f acc %.2f%%", r.epoch, epochs, r.trainLoss, r.trainAccuracy * 100)
        if r.valAccuracy.isFinite { s += String(format: "  val loss %.4f acc %.2f%%", r.valLoss, r.valAccuracy * 100) }
        s += String(format: "  %@ (%.0f img/s)%@", duration(r.seconds), r.imagesPerSecond, isBest ? "  * best" : "")
        return s
    }

    public func handle(_ event: TrainingEvent) {
        switch event {
        case .batch(let p):
            if live {
                write("\r" + Self.batchLine(p) + "\u{1B}[K")
                lineOpen = true
            } else if Date().timeIntervalSince(lastPlain) >= plainEvery || p.batch == p.batches {
                lastPlain = Date()
                write(Self.batchLine(p) + "\n")
            }
        case .epoch(let r, let best, let epochs):
            closeLine()
            write(Self.epochLine(r, epochs: epochs, isBest: best) + "\n")
        case .note(let s):
            closeLine()
            write(s + "\n")
        }
    }

    private func closeLine() {
        if lineOpen { write("\n"); lineOpen = false }
    }
}

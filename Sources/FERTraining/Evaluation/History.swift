// The per-epoch training history: one record per epoch, written as
// DIR/history.csv and read back for plots. Plain data and CSV text; the
// training loop fills it.
import Foundation

public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int            // 1-based
    public var step: Int             // optimizer steps so far
    public var learningRate: Double  // at the epoch's last step
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var valLoss: Double
    public var valAccuracy: Double
    public var seconds: Double
    public var imagesPerSecond: Double

    public init(epoch: Int, step: Int, learningRate: Double, trainLoss: Double, trainAccuracy: Double,
                valLoss: Double, valAccuracy: Double, seconds: Double, imagesPerSecond: Double) {
        self.epoch = epoch; self.step = step; self.learningRate = learningRate
        self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss; self.valAccuracy = valAccuracy
        self.seconds = seconds; self.imagesPerSecond = imagesPerSecond
    }
}

public struct TrainingHistory: Codable, Sendable, Equatable {
    public var records: [EpochRecord] = []

    public init(records: [EpochRecord] = []) { self.records = records }

    public static let header = "epoch,step,lr,train_loss,train_acc,val_loss,val_acc,seconds,images_per_s"

    public var csv: String {
        var lines = [Self.header]
        for r in records {
            lines.append([String(r.epoch), String(r.step), fmt(r.learningRate), fmt(r.trainLoss), fmt(r.trainAccuracy),
                          fmt(r.valLoss), fmt(r.valAccuracy), String(format: "%.1f", r.seconds), String(format: "%.1f", r.imagesPerSecond)]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "nan" }

    /// Parses history.csv text; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(DatasetError) -> TrainingHistory {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let l = lines.last, l.isEmpty { lines.removeLast() }
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == header else {
            throw .badHeader(path: path, found: lines.first ?? "", expected: header)
        }
        var records: [EpochRecord] = []
        for (i, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
            guard f.count == 9, f[0].isFinite, f[1].isFinite else {
                throw .badLine(path: path, line: i + 1, reason: "expected 9 numbers (\(header))")
            }
            records.append(EpochRecord(epoch: Int(f[0]), step: Int(f[1]), learningRate: f[2], trainLoss: f[3], trainAccuracy: f[4],
                                       valLoss: f[5], valAccuracy: f[6], seconds: f[7], imagesPerSecond: f[8]))
        }
        return TrainingHistory(records: records)
    }

    public static func load(_ path: String) throws(DatasetError) -> TrainingHistory {
        let bytes = try DatasetFile.read(path)
        return try parse(String(decoding: bytes, as: UTF8.self), path: path)
    }
}

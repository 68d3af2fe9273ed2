import Testing
@testable import FERTraining

@Suite struct MetricsTests {
    @Test func handWorkedConfusion() {
        var cm = ConfusionMatrix(classes: 3)
        // truth, predicted
        for (t, p) in [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 1), (2, 0), (2, 2)] { cm.add(truth: t, predicted: p) }
        #expect(cm.total == 8 && cm.correct == 6)
        #expect(cm.accuracy == 0.75)
        #expect(abs(cm.standardError - (0.75 * 0.25 / 8).squareRoot()) < 1e-12)
        // class 0: predicted 3 times (2 right) → precision 2/3; 3 true (2 found) → recall 2/3.
        #expect(abs(cm.precision(0) - 2.0 / 3) < 1e-12)
        #expect(abs(cm.recall(0) - 2.0 / 3) < 1e-12)
        // class 1: precision 3/4, recall 1.
        #expect(cm.precision(1) == 0.75 && cm.recall(1) == 1)
        #expect(abs(cm.f1(1) - 2 * 0.75 / 1.75) < 1e-12)
        // class 2: precision 1, recall 1/2.
        #expect(cm.precision(2) == 1 && cm.recall(2) == 0.5)
        #expect(cm.support(2) == 2)
        #expect(ConfusionMatrix(counts: cm.counts) == cm)
    }

    @Test func emptyAndUnpredictedClassesAreZeroNotNaN() {
        var cm = ConfusionMatrix(classes: 2)
        #expect(cm.accuracy == 0 && cm.standardError == 0)
        cm.add(truth: 0, predicted: 0)
        #expect(cm.precision(1) == 0 && cm.recall(1) == 0 && cm.f1(1) == 0)
        #expect(cm.macroF1 == 0.5)
    }

    @Test func historyRoundTripsThroughCSV() throws {
        let h = TrainingHistory(records: [
            EpochRecord(epoch: 1, step: 10, learningRate: 0.05, trainLoss: 1.5, trainAccuracy: 0.4, valLoss: 1.4, valAccuracy: 0.45, seconds: 12, imagesPerSecond: 100),
            EpochRecord(epoch: 2, step: 20, learningRate: 0.025, trainLoss: 1.2, trainAccuracy: 0.5, valLoss: .nan, valAccuracy: .nan, seconds: 11, imagesPerSecond: 110),
        ])
        let back = try TrainingHistory.parse(h.csv, path: "h.csv")
        #expect(back.records.count == 2)
        #expect(back.records[0] == h.records[0])
        #expect(back.records[1].valAccuracy.isNaN && back.records[1].step == 20)
        #expect(throws: DatasetError.self) { try TrainingHistory.parse("a,b\n", path: "h.csv") }
        #expect(throws: DatasetError.badLine(path: "h.csv", line: 2, reason: "expected 9 numbers (\(TrainingHistory.header))")) {
            try TrainingHistory.parse(TrainingHistory.header + "\n1,2,3\n", path: "h.csv")
        }
    }

    @Test func progressLinesAndDurations() {
        #expect(ProgressPrinter.duration(59) == "00:59")
        #expect(ProgressPrinter.duration(3725) == "1:02:05")
        let p = BatchProgress(epoch: 2, epochs: 40, batch: 10, batches: 20, step: 30, learningRate: 0.05,
                              imagesPerSecond: 150, etaSeconds: 90, loss: 1.25, accuracy: 0.5)
        let line = ProgressPrinter.batchLine(p)
        #expect(line.contains("epoch 2/40") && line.contains("10/20") && line.contains("150 img/s") && line.contains("ETA 01:30"))
        var out: [String] = []
        let printer = ProgressPrinter(live: false, plainEvery: 3600) { out.append($0) }
        printer.handle(.batch(p))
        printer.handle(.batch(p))   // within plainEvery: not printed
        #expect(out.count == 1 && out[0].hasSuffix("\n"))
        let live = ProgressPrinter(live: true) { out.append($0) }
        live.handle(.batch(p))
        #expect(out.last!.hasPrefix("\r"))
    }
}

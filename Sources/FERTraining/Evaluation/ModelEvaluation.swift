// `fer-train eval` as a library call: load a model file, check that it takes
// 48×48 gray faces with 7 outputs, evaluate it on one split of a dataset, and
// write the report folder (report.json, report.txt, report.md, confusion.png
// and, given a history, curves.png). The CLI only parses arguments and prints.
import FERNet
import FERVision
import Foundation

public enum EvaluationError: Error, CustomStringConvertible {
    case model(ModelFileError)
    case incompatibleModel(path: String, reason: String)
    case report(path: String, reason: String)

    public var description: String {
        switch self {
        case .model(let e): return e.description
        case .incompatibleModel(let p, let r): return "model file \(p): \(r) (fer-train evaluates 48×48 gray faces with 7 emotion outputs)"
        case .report(let p, let r): return "report \(p): \(r)"
        }
    }
}

public enum ModelEvaluation {
    /// The networks of a model file (one, or an ensemble's members) ready for inference, plus their preprocessing.
    public static func loadNetworks(_ path: String) throws -> ([Network], FacePreprocessor, LoadedModel) {
        let loaded: LoadedModel
        do { loaded = try ModelFile.load(from: URL(fileURLWithPath: path)) } catch { throw EvaluationError.model(error) }
        guard loaded.spec.input == [1, FaceDataset.side, FaceDataset.side] else {
            throw EvaluationError.incompatibleModel(path: path, reason: "its input is \(loaded.spec.input), not [1, 48, 48]")
        }
        let classes = try loaded.spec.outputCount()
        guard classes == Emotion.count else {
            throw EvaluationError.incompatibleModel(path: path, reason: "it has \(classes) outputs, not \(Emotion.count)")
        }
        return (try loaded.networks(), FacePreprocessor(normalization: loaded.normalization), loaded)
    }

    /// Evaluates `modelPath` on split `split` of `dataPath`.
    public static func run(model modelPath: String, data dataPath: String, split: String, tta: Bool = false,
                           batchSize: Int = 256, threads: Int = 2) throws -> EvaluationReport {
        let (nets, pre, loaded) = try loadNetworks(modelPath)
        let data = try DataSource.load(dataPath).split(split)
        let start = Date()
        let ev = try Evaluator.evaluate(nets: nets, data: data, preprocessor: pre, batchSize: batchSize, tta: tta, threads: threads)
        return EvaluationReport(model: modelPath, architecture: loaded.architecture, data: dataPath, split: split, evaluation: ev, tta: tta,
                                seconds: Date().timeIntervalSince(start))
    }

    /// Writes report.json, report.txt, report.md, confusion.png and (with a history) curves.png into `dir`; returns the files.
    @discardableResult
    public static func writeReport(_ report: EvaluationReport, history: TrainingHistory?, to dir: String) throws -> [String] {
        let url = URL(fileURLWithPath: dir)
        func fail(_ r: String) -> EvaluationError { .report(path: dir, reason: r) }
        var files: [String] = []
        try AtomicFile.write(report.json + "\n", to: url.appendingPathComponent("report.json"), error: fail)
        try AtomicFile.write(report.text + "\n", to: url.appendingPathComponent("report.txt"), error: fail)
        try AtomicFile.write(report.markdown + "\n", to: url.appendingPathComponent("report.md"), error: fail)
        files += ["report.json", "report.txt", "report.md"]
        let title = "\(report.split): accuracy \(report.accuracyText.replacingOccurrences(of: "±", with: "+/-")), n=\(report.images)"
        do {
            try ImageCodec.write(Plots.confusion(report.confusion, labels: report.labels, title: title), to: dir + "/confusion.png")
            files.append("confusion.png")
            if let history, !history.records.isEmpty {
                try ImageCodec.write(Plots.curves(history, title: "training history (\(history.records.count) epochs)"), to: dir + "/curves.png")
                files.append("curves.png")
            }
        } catch { throw fail("\(error)") }
        return files.map { dir + "/" + $0 }
    }
}

// `fer-train eval`: accuracy ± standard error, per-class metrics and the
// confusion matrix of a model file on one split of a dataset; optional JSON,
// test-time augmentation and a report folder with plots. Wiring only.
import ArgumentParser
import FERNet
import FERTraining
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model file on a FER2013 CSV or an image folder.",
        discussion: """
        Examples:
          fer-train eval --model models/emotion-cnn.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz
          # test-time augmentation, machine-readable output
          fer-train eval --model runs/fer-vgg/best.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz --tta --json
          # an image folder's test split, with a report folder and plots
          fer-train eval --model runs/fer-vgg/best.safetensors --data faces \\
            --split test --report runs/fer-vgg/report

        Accuracy is printed with one standard error, sqrt(p(1-p)/n).
        --report writes report.json, report.txt, report.md (the tables in
        Markdown, for a model card), confusion.png and, when a history.csv is
        found (--history, or beside the model), curves.png. ECE is the expected
        calibration error (see fer-train calibrate).
        """)

    @Option(help: "Model file to evaluate.") var model: String = ModelFile.defaultPath
    @Option(help: "FER2013 CSV (.csv or .csv.gz) or image-folder root (<root>/<split>/<emotion>/*.png).") var data: String
    @Option(help: "Split to evaluate: PublicTest, Training, PrivateTest, or a folder name such as test.") var split = "PublicTest"
    @Flag(help: "Print the report as one JSON object on stdout.") var json = false
    @Flag(help: "Average probabilities over 8 views (flips, shifted and zoomed crops).") var tta = false
    @Option(help: "Folder for report.json, report.txt, report.md, confusion.png, curves.png.") var report: String?
    @Option(help: "history.csv to plot in the report (default: history.csv beside the model, if any).") var history: String?
    @Option(help: "Faces per inference batch.") var batch = 256
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            let r = try ModelEvaluation.run(model: model, data: data, split: split, tta: tta, batchSize: batch, threads: threads)
            if json { print(r.json) } else { print(r.text) }
            if let report {
                let historyPath = history ?? (URL(fileURLWithPath: model).deletingLastPathComponent().appendingPathComponent("history.csv").path)
                let h = FileManager.default.fileExists(atPath: historyPath) ? try TrainingHistory.load(historyPath) : nil
                if history != nil && h == nil { throw DatasetError.missing(path: historyPath) }
                let files = try ModelEvaluation.writeReport(r, history: h, to: report)
                FileHandle.standardError.write(Data("wrote \(files.joined(separator: ", "))\n".utf8))
            }
        } catch {
            throw Failure.exit("eval", error)
        }
    }
}

// `fer-train calibrate --model IN --data CSV --out OUT`: temperature scaling.
// Fits one temperature on a validation split and writes the model with it
// folded into the last layer. Wiring only; the work is ModelCalibration.
import ArgumentParser
import FERNet
import FERTraining
import Foundation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Make a model's probabilities match its accuracy (temperature scaling on a validation split).",
        discussion: """
        Examples:
          fer-train calibrate --model runs/fer-vgg/best.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz --out runs/fer-vgg/calibrated.safetensors
          fer-train calibrate --model runs/ensemble.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz --out runs/ensemble.safetensors --json

        A network trained with label smoothing or a teacher is less confident
        than it is right; fer-cam's events report its probabilities, so they
        should mean what they say. This finds the temperature T that gives the
        lowest loss (negative log-likelihood) on --split and divides the last
        layer's weight and bias by T (an ensemble: every member's, one T for
        all). A network's predicted class, hence its accuracy, does not
        change; an ensemble's can on near ties, so the accuracy is measured
        before and after. The figures (T, loss and expected calibration error
        before and after) go into the file's provenance under "calibration".
        Fit on the validation split (PublicTest), never on a test split you
        report.
        """)

    @Option(help: "Model file to calibrate.") var model: String = ModelFile.defaultPath
    @Option(help: "FER2013 CSV (.csv or .csv.gz) or image-folder root.") var data: String
    @Option(help: "Split to fit on.") var split = "PublicTest"
    @Option(help: "Calibrated model file to write (replaced atomically; may be --model itself).") var out: String
    @Flag(help: "Print the figures as one JSON object on stdout.") var json = false
    @Option(help: "Worker threads.") var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            let (report, calibrated) = try ModelCalibration.run(model: model, data: data, split: split, threads: threads)
            try ModelFile.save(calibrated, to: URL(fileURLWithPath: out))
            print(json ? report.json : report.text + "\nwrote \(out)")
        } catch {
            throw Failure.exit("calibrate", error)
        }
    }
}

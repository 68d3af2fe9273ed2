// fer-train entry point: argument parsing and wiring only.
import ArgumentParser

@main
struct FerTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fer-train",
        abstract: "Train, evaluate, calibrate, combine and export the fer-cam emotion CNN (FER2013, 7 emotions).",
        discussion: """
        Typical session (each command's --help has more examples):
          # train the default recipe; writes runs/fer-vgg/
          fer-train train --data ../shared/data/fer2013/fer2013.csv.gz
          # continue after a stop, exactly where the last checkpoint left off
          fer-train train --resume runs/fer-vgg/last.ckpt
          # accuracy, per-class metrics, confusion matrix and plots
          fer-train eval --model runs/fer-vgg/best.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz --report runs/fer-vgg/report
          # one model file from several runs (mean of their probabilities)
          fer-train ensemble --member runs/fer-vgg/best.safetensors \\
            --member runs/fer-vgg-half/best.safetensors --out runs/ensemble.safetensors
          # probabilities that mean what they say (a network's predictions unchanged)
          fer-train calibrate --model runs/fer-vgg/best.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz --out runs/fer-vgg/calibrated.safetensors
          # a Keras model (.h5 or .keras) as a fer-cam model file
          fer-train import model.h5 --labels alphabetical --out models/mine.safetensors
          # ONNX for other runtimes
          fer-train export --model runs/fer-vgg/best.safetensors --onnx emotion.onnx

        Exit codes: 64 usage, 65 malformed data, 66 input missing,
        70 internal error, 73 cannot write, 78 bad model file.
        """,
        subcommands: [TrainCommand.self, EvalCommand.self, CalibrateCommand.self, ExportCommand.self, EnsembleCommand.self, ImportCommand.self])
}

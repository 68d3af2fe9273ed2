// `fer-train ensemble --member A --member B --out PATH`: combines trained model
// files into one ensemble model file, whose output is the mean of the members'
// probabilities. Argument parsing and wiring only; the
// work is FERNet's ModelEnsemble and ModelFile.
import ArgumentParser
import FERNet
import Foundation

struct EnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Combine trained model files into one ensemble model file (mean of their probabilities).",
        discussion: """
        Examples:
          # the default network and a half-width one trained with the same recipe
          fer-train ensemble --member runs/fer-vgg/best.safetensors \\
            --member runs/fer-vgg-half/best.safetensors --out runs/ensemble.safetensors
          fer-train eval --model runs/ensemble.safetensors \\
            --data ../shared/data/fer2013/fer2013.csv.gz

        Members must share input shape, class count, input normalization and
        labels; their architectures may differ. An ensemble file given as a
        member contributes all of its networks. The result is one safetensors
        file (tensors member0.conv1.weight, ..., one architecture per member in
        the "members" __metadata__) that fer-cam, eval and fer-bench read like
        any model; each face costs one inference per member.
        """)

    @Option(name: .customLong("member"), help: "A model file to include (give it 2 or more times).") var members: [String] = []
    @Option(help: "Ensemble model file to write (replaced atomically).") var out: String

    func validate() throws {
        guard members.count >= 2 else { throw ValidationError("give --member at least twice (got \(members.count))") }
        let target = URL(fileURLWithPath: out).standardizedFileURL
        guard !members.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL == target }) else {
            throw ValidationError("--out \(out) is also a --member; write the ensemble to another path")
        }
    }

    func run() throws {
        do {
            let models = try members.map { (path) throws(ModelFileError) in try ModelFile.load(from: URL(fileURLWithPath: path)) }
            let ensemble = try ModelEnsemble.combine(models, paths: members)
            try ModelFile.save(ensemble, to: URL(fileURLWithPath: out))
            print("wrote \(out): ensemble of \(ensemble.architecture) from \(members.joined(separator: ", "))")
        } catch {
            throw Failure.exit("ensemble", error)
        }
    }
}

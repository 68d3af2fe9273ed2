// fer-train entry point: argument parsing and wiring only.
import ArgumentParser

@main
struct FerTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fer-train", abstract: "fer-train (skeleton)")
    func run() throws {}
}

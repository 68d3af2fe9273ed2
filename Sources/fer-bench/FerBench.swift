// fer-bench entry point: argument parsing and wiring only.
import ArgumentParser

@main
struct FerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fer-bench", abstract: "fer-bench (skeleton)",
                                                    subcommands: [InferenceBench.self, TrainBench.self, PipelineBench.self])
}

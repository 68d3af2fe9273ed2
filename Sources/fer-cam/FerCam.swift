// fer-cam entry point: argument parsing and wiring only.
import ArgumentParser

@main
struct FerCam: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fer-cam", abstract: "fer-cam (skeleton)")
    func run() throws {}
}

// fer-bench entry point: argument parsing and wiring only. Each subcommand
// prints one JSON object with --json (median and p99 where it times something,
// throughput with its unit), per ../shared/docs/design.md.
import ArgumentParser

@main
struct FerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fer-bench",
        abstract: "Measure fer-cam's speed: CNN inference and training, the live pipeline, the HTTP stream.",
        discussion: """
        Examples:
          fer-bench inference --model models/emotion-cnn.safetensors --json
          fer-bench train --arch fer-vgg --json
          fer-bench pipeline --source ../shared/media/short_hamilton_clip.mp4 --json
          fer-bench recall --source ../shared/media/group-1080p.mp4 --json   # detection vs full-size cascade
          fer-bench idle --json                   # an empty, still, noisy room: cost per frame
          fer-bench stream --json
          fer-bench soak --minutes 15 --json      # leaks, log rotation, camera faults
          fer-bench mqtt --cameras 8 --minutes 10 --json   # N cameras → one local mosquitto: rate, latency, CPU, losses
        Benchmarks are not tests: run them on a quiet machine and compare figures
        taken on the same machine.
        """,
        subcommands: [InferenceBench.self, TrainBench.self, PipelineBench.self, RecallBench.self, IdleBench.self, StreamBench.self, SoakBench.self, MQTTBench.self])
}

// `fer-bench inference`: latency and throughput of the InferenceEngine
// (of all members together for an ensemble model file).
// Median and p99 per-face latency at batch 1 on one thread, faces/s at batch 8
// and 32, achieved GFLOP/s, and the peak of cblas_sgemm measured in the same
// run for comparison. Weights: --model (a model file) or --arch with random
// weights (speed does not depend on the values).

import ArgumentParser
import CBLAS
import FERNet
import Foundation

struct InferenceBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inference", abstract: "Per-face latency and throughput of the CNN inference engine.")

    @Option(help: "Architecture with random weights: \(Architectures.names.joined(separator: ", ")).") var arch = Architectures.defaultName
    @Option(help: "Model file (safetensors), e.g. models/emotion-cnn.safetensors; overrides --arch.") var model: String?
    @Option(help: "Threads for the batch-1 latency (the issue's figure is 1).") var threads = 1
    @Option(help: "Timed calls at batch 1.") var iterations = 300
    @Option(help: "3x3 convs on inputs at least this size use Winograd (0: the engine's default; 1000 turns it off).") var winogradMin = 0
    @Option(help: "... and with at least this many input channels (0: the engine's default).") var winogradChannels = 0
    @Option(help: "im2col buffer per GEMM group, KiB.") var groupKB = 0
    @Flag(help: "Also print the time per step at batch 1 (where the time goes).") var steps = false
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard Architectures.names.contains(arch) else { throw ValidationError("unknown architecture \(arch); known: \(Architectures.names.joined(separator: ", "))") }
        guard threads > 0, iterations > 0 else { throw ValidationError("threads and iterations must be positive") }
    }

    func run() throws {
        Threads.setBLAS(threads)
        let nets: [Network]   // one, or an ensemble file's members (all of them are timed)
        if let model {
            nets = try ModelFile.load(from: URL(fileURLWithPath: model)).networks()
        } else {
            nets = [try Network(architecture: arch, seed: 1)]
        }
        let architecture = nets.map(\.spec.name).joined(separator: " + ")
        var engines: [InferenceEngine] = []  // members share scratch buffers, as in EnsembleEngine(networks:)
        for net in nets {
            engines.append(try InferenceEngine(
                network: net, maxBatch: 32, groupBytes: groupKB > 0 ? groupKB * 1024 : InferenceEngine.defaultGroupBytes,
                winogradMinimumSize: winogradMin > 0 ? winogradMin : InferenceEngine.defaultWinogradMinimumSize,
                winogradMinimumChannels: winogradChannels > 0 ? winogradChannels : InferenceEngine.defaultWinogradMinimumChannels,
                sharing: engines.first))
        }
        let engine = try EnsembleEngine(engines: engines)
        let faceSize = engine.inputShape.reduce(1, *)
        let rng = SeededRandom(seed: 2)
        let input = (0..<(faceSize * 32)).map { _ in rng.normal() }
        var output = [Float](repeating: 0, count: 32 * engine.classCount)
        let flops = 2 * Double(engine.multiplyAddsPerInput)

        func time(_ batch: Int) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { o in
                engine.probabilities(input: x.baseAddress!, count: batch, output: o.baseAddress!)
            } }
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        for _ in 0..<20 { _ = time(1) }
        let cpu0 = processCPUSeconds()
        var single = (0..<iterations).map { _ in time(1) }
        let cpuPerFace = (processCPUSeconds() - cpu0) / Double(iterations)
        single.sort()
        let median = single[single.count / 2], p99 = single[min(single.count - 1, single.count * 99 / 100)]
        var throughput: [Int: Double] = [:]
        for batch in [8, 32] {
            _ = time(batch)
            var ts = (0..<max(5, iterations / batch)).map { _ in time(batch) }
            ts.sort()
            throughput[batch] = Double(batch) / ts[ts.count / 2]
        }
        let peak = sgemmPeak()
        var stepReport: [[String: Any]] = []
        if steps {
            let reps = max(50, iterations / 2)
            let timings = input.withUnsafeBufferPointer { engine.members[0].stepTimings(input: $0.baseAddress!, count: 1, repeats: reps) }
            stepReport = timings.map { ["step": $0.step, "ms": $0.seconds / Double(reps) * 1000] }
        }
        let result: [String: Any] = [
            "benchmark": "inference", "arch": architecture, "members": nets.count, "model": model ?? "random weights", "threads": threads, "blas_core": Threads.blasCoreName,
            "latency_ms_median": median * 1000, "cpu_ms_per_face_batch1": cpuPerFace * 1000, "latency_ms_p99": p99 * 1000,
            "faces_per_s_batch1": 1 / median, "faces_per_s_batch8": throughput[8]!, "faces_per_s_batch32": throughput[32]!,
            "gflop_per_face": flops / 1e9, "gflops_batch1": flops / median / 1e9,
            "gflops_batch32": flops * throughput[32]! / 1e9, "sgemm_peak_gflops": peak,
            "unit": "ms per face",
        ].merging(steps ? ["steps_batch1": stepReport] : [:]) { a, _ in a }
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("OpenBLAS kernels: \(Threads.blasCoreName), \(threads) thread(s)")
            for s in stepReport { print(String(format: "  %-40@ %.3f ms", s["step"] as! String, s["ms"] as! Double)) }
            print(String(format: "CPU time per face at batch 1: %.3f ms", cpuPerFace * 1000))
            if nets.count > 1 { print("ensemble of \(architecture) (times are for all of them; steps: member 0)") }
            print(String(format: "%@ batch 1: median %.3f ms, p99 %.3f ms per face (%.1f GFLOP/s); batch 8: %.0f faces/s; batch 32: %.0f faces/s; sgemm peak %.1f GFLOP/s",
                         architecture, median * 1000, p99 * 1000, flops / median / 1e9, throughput[8]!, throughput[32]!, peak))
        }
    }

    /// Best sgemm rate over a few conv-like shapes (row-major, one call each, best of 5).
    private func sgemmPeak() -> Double {
        let shapes = [(64, 2304, 288), (128, 576, 576), (256, 144, 1152)]
        var best = 0.0
        for (m, n, k) in shapes {
            let a = [Float](repeating: 0.01, count: m * k), b = [Float](repeating: 0.02, count: k * n)
            var c = [Float](repeating: 0, count: m * n)
            for _ in 0..<6 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
                let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                best = max(best, 2 * Double(m * n * k) / t / 1e9)
            }
        }
        return best
    }
}

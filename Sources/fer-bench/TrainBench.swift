// `fer-bench train`: training throughput of the engine (forward + backward +
// SGD update) on random data, batch 64 by default. Prints one JSON object with
// --json. Measures the engine only; data loading and augmentation are not in it.

import ArgumentParser
import FERNet
import Foundation

struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Training images/s of the CNN engine (forward+backward+update).")

    @Option(help: "Architecture: \(Architectures.names.joined(separator: ", ")).") var arch = Architectures.defaultName
    @Option(help: "Batch size.") var batch = 64
    @Option(help: "Threads (OpenBLAS and elementwise work).") var threads = 2
    @Option(help: "Timed iterations.") var iterations = 10
    @Option(help: "Untimed warm-up iterations.") var warmup = 2
    @Option(help: "im2col buffer per GEMM group, KiB.") var groupKB = 1024
    @Flag(help: "Let OpenBLAS thread inside each GEMM instead of splitting the batch across workers.") var blasThreads = false
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard Architectures.names.contains(arch) else { throw ValidationError("unknown architecture \(arch); known: \(Architectures.names.joined(separator: ", "))") }
        guard batch > 0, threads > 0, iterations > 0, warmup >= 0 else { throw ValidationError("batch, threads and iterations must be positive") }
    }

    func run() throws {
        let net = try Network(architecture: arch, seed: 1)
        net.convolutionsSplitSamples = !blasThreads
        net.convolutionGroupBytes = groupKB * 1024
        net.useThreads(threads)
        let rng = SeededRandom(seed: 2)
        let x = Tensor(shape: [batch] + net.spec.input)
        for i in 0..<x.count { x.data[i] = rng.normal() }
        let labels = (0..<batch).map { _ in Int(rng.next() % UInt64(net.classCount)) }
        let loss = SoftmaxCrossEntropy()
        let opt = SGD(parameters: net.parameters, learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4)
        var times: [Double] = []
        var cpuStart = 0.0
        var phase = [Double](repeating: 0, count: 3)
        for it in 0..<(warmup + iterations) {
            if it == warmup { cpuStart = processCPUSeconds() }
            let t0 = DispatchTime.now().uptimeNanoseconds
            net.zeroGrad()
            let logits = net.forward(x, training: true)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let (_, d) = loss.lossAndGradient(logits: logits, labels: labels)
            net.backward(d)
            let t2 = DispatchTime.now().uptimeNanoseconds
            opt.step()
            let t3 = DispatchTime.now().uptimeNanoseconds
            if it >= warmup {
                times.append(Double(t3 - t0) / 1e9)
                phase[0] += Double(t1 - t0) / 1e9; phase[1] += Double(t2 - t1) / 1e9; phase[2] += Double(t3 - t2) / 1e9
            }
        }
        let cpuPerBatch = (processCPUSeconds() - cpuStart) / Double(iterations)
        times.sort()
        let median = times[times.count / 2]
        let perImage = median / Double(batch)
        let result: [String: Any] = [
            "benchmark": "train", "arch": arch, "blas_core": Threads.blasCoreName, "mode": blasThreads ? "openblas-threads" : "sample-split", "batch": batch, "threads": threads, "iterations": iterations,
            "parameters": net.parameterCount,
            "median_batch_ms": median * 1000, "images_per_s": 1 / perImage,
            "best_images_per_s": Double(batch) / times[0],
            "forward_ms": phase[0] / Double(iterations) * 1000, "backward_ms": phase[1] / Double(iterations) * 1000,
            "update_ms": phase[2] / Double(iterations) * 1000, "unit": "images/s",
            "cpu_ms_per_batch": cpuPerBatch * 1000, "images_per_cpu_s": Double(batch) / cpuPerBatch,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("OpenBLAS kernels: \(Threads.blasCoreName)")
            print(String(format: "%@ batch %d, %d threads: %.1f images/s, %.1f images per CPU-second (median batch %.1f ms; fwd %.1f, bwd %.1f, update %.1f ms)",
                         arch, batch, threads, 1 / perImage, Double(batch) / cpuPerBatch, median * 1000, phase[0] / Double(iterations) * 1000,
                         phase[1] / Double(iterations) * 1000, phase[2] / Double(iterations) * 1000))
        }
    }
}

/// CPU time of the whole process (all threads), in seconds.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

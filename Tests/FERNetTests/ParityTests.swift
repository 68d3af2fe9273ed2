// Parity with an independent implementation: the same networks run through
// Reference/reference_forward.py (NumPy, float64) in the tests' Python
// (TestPython: .venv, made by scripts/setup --tests); fails with that hint
// when the venv or numpy is missing. Does not check speed.

import Foundation
import Testing
@testable import FERNet

@Suite struct ParityTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Reference/reference_forward.py")

    /// Writes the network, its weights and `x` for the script, runs it, returns its (N, classes) output.
    static func numpyForward(_ net: Network, _ x: Tensor, training: Bool) throws -> [Float] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fernet-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ values: [Float]) throws {
            try values.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: dir.appendingPathComponent(name))
        }
        let tensors = Dictionary(uniqueKeysWithValues: net.exportTensors().map { ($0.name, $0) })
        var layers: [[String: Any]] = []
        var shape = net.spec.input
        for (l, out) in zip(net.spec.layers, try net.spec.shapes()) {
            switch l {
            case .conv2d(let name, _, _, let s, let p):
                try write("\(name).w", tensors["\(name).weight"]!.values); try write("\(name).b", tensors["\(name).bias"]!.values)
                layers.append(["type": "conv2d", "weight": "\(name).w", "bias": "\(name).b", "weight_shape": tensors["\(name).weight"]!.shape, "stride": s, "padding": p])
            case .dense(let name, _):
                try write("\(name).w", tensors["\(name).weight"]!.values); try write("\(name).b", tensors["\(name).bias"]!.values)
                layers.append(["type": "dense", "weight": "\(name).w", "bias": "\(name).b", "weight_shape": tensors["\(name).weight"]!.shape])
            case .batchNorm(let name, let eps, _):
                for (suffix, key) in [("weight", "w"), ("bias", "b"), ("running_mean", "m"), ("running_var", "v")] {
                    try write("\(name).\(key)", tensors["\(name).\(suffix)"]!.values)
                }
                layers.append(["type": "batchnorm", "channels": shape[0], "eps": eps, "weight": "\(name).w", "bias": "\(name).b", "mean": "\(name).m", "var": "\(name).v"])
            case .relu: layers.append(["type": "relu"])
            case .maxPool(let k, let s): layers.append(["type": "maxpool", "kernel": k, "stride": s])
            case .avgPool(let k, let s): layers.append(["type": "avgpool", "kernel": k, "stride": s])
            case .globalAvgPool: layers.append(["type": "globalavgpool"])
            case .flatten: layers.append(["type": "flatten"])
            case .dropout: layers.append(["type": "dropout"])
            }
            shape = out
        }
        try write("x.bin", x.toArray())
        let manifest: [String: Any] = ["input": "x.bin", "input_shape": x.shape, "training": training, "layers": layers]
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("manifest.json"))
        // TestPython.run collects stdout and stderr while the child runs (through files), so
        // a chatty or failing script can never block on a full pipe.
        let result = try TestPython.run([script.path, dir.path])
        guard result.status == 0 else {
            throw ParityError.referenceFailed("\(TestPython.interpreter.path) \(script.path) failed (exit status \(result.status)): \(result.stderr)\nHINT: run scripts/setup --tests (installs numpy into .venv)")
        }
        let data = try Data(contentsOf: dir.appendingPathComponent("output.bin"))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    enum ParityError: Error, CustomStringConvertible {
        case referenceFailed(String)
        var description: String { switch self { case .referenceFailed(let message): message } }
    }

    static let mixed = ModelSpec(name: "mixed", input: [2, 11, 11], layers: [
        .conv2d(name: "c1", outChannels: 6, kernel: 3, stride: 1, padding: 1),
        .batchNorm(name: "b1", epsilon: 1e-5, momentum: 0.1), .relu, .maxPool(kernel: 2, stride: 2),
        .conv2d(name: "c2", outChannels: 5, kernel: 3, stride: 2, padding: 1), .relu,
        .conv2d(name: "c3", outChannels: 4, kernel: 1, stride: 1, padding: 0),
        .avgPool(kernel: 2, stride: 1), .flatten,
        .dense(name: "fc1", outFeatures: 8), .batchNorm(name: "b2", epsilon: 1e-3, momentum: 0.1), .relu,
        .dropout(rate: 0), .dense(name: "fc2", outFeatures: 3),
    ])

    @Test(arguments: [false, true])
    func mixedNetworkMatchesNumPy(training: Bool) throws {
        let net = try InferenceEngineTests.trainedLike(Self.mixed, seed: 31)
        let x = randomTensor([3, 2, 11, 11], seed: 32, scale: 2)
        let ours = net.forward(x, training: training).toArray()
        let reference = try Self.numpyForward(net, x, training: training)
        let diff = maxAbsDifference(ours, reference)
        print("parity mixed (training: \(training)): max |difference| \(diff)")
        #expect(diff < 1e-4, "max difference \(diff)")
    }

    @Test func globalPoolNetworkMatchesNumPy() throws {
        let spec = ModelSpec(name: "g", input: [1, 9, 9], layers: [
            .conv2d(name: "c1", outChannels: 4, kernel: 5, stride: 2, padding: 2), .relu, .globalAvgPool,
            .dense(name: "fc", outFeatures: 2),
        ])
        let net = try Network(spec: spec, seed: 3)
        let x = randomTensor([2, 1, 9, 9], seed: 4)
        let diff = maxAbsDifference(net.forward(x, training: false).toArray(), try Self.numpyForward(net, x, training: false))
        print("parity global pool: max |difference| \(diff)")
        #expect(diff < 1e-4, "max difference \(diff)")
    }

    @Test(arguments: ["seed4", "fer-vgg"])
    func architecturesAndInferenceEngineMatchNumPy(name: String) throws {
        let net = try InferenceEngineTests.trainedLike(try Architectures.spec(named: name), seed: 41)
        let x = randomTensor([2, 1, 48, 48], seed: 42)
        let reference = try Self.numpyForward(net, x, training: false)
        let ours = net.forward(x, training: false).toArray()
        let engine = try InferenceEngine(network: net, maxBatch: 2)
        var fast = [Float](repeating: 0, count: 14)
        engine.logits(input: x.data, count: 2, output: &fast)
        let scale = max(1, reference.map { abs($0) }.max()!)
        let d1 = maxAbsDifference(ours, reference) / scale, d2 = maxAbsDifference(fast, reference) / scale
        print("parity \(name): network \(d1), inference engine \(d2) (max |difference| / max(1, max |logit|))")
        #expect(d1 < 1e-4 && d2 < 1e-4)
    }
}

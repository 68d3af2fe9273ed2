// Parity of the Swift engine with onnxruntime through our ONNX export: a
// fer-vgg network with random weights and non-trivial batch-norm statistics
// runs in inference mode on real FER2013 faces; the same model goes through
// the model file and ONNX export and is run by onnxruntime (Python helper);
// every probability must agree to 1e-4. Needs ../shared/data/fer2013 and
// `scripts/setup --tests` (.venv with onnxruntime and numpy; see TestPython).

import Foundation
import Testing
@testable import FERNet

@Suite struct ModelIOONNXParityTests {
    static let faceCount = 32
    static let tolerance: Float = 1e-4

    /// Covers the layer kinds the named architectures do not use: strided
    /// conv with kernel 5, average pooling, overlapping max pooling, global
    /// average pooling, batch norm on features.
    static let otherLayers = ModelSpec(name: "parity-other-layers", input: [1, 48, 48], layers: [
        .conv2d(name: "conv1", outChannels: 8, kernel: 5, stride: 2, padding: 2),   // (8, 24, 24)
        .batchNorm(name: "bn1", epsilon: 1e-3, momentum: 0.1), .relu,
        .avgPool(kernel: 2, stride: 2),                                            // (8, 12, 12)
        .conv2d(name: "conv2", outChannels: 16, kernel: 3, stride: 1, padding: 0),  // (16, 10, 10)
        .relu,
        .maxPool(kernel: 3, stride: 2),                                            // (16, 4, 4)
        .globalAvgPool,                                                            // (16)
        .dense(name: "fc1", outFeatures: 12),
        .batchNorm(name: "bn2", epsilon: 1e-5, momentum: 0.1), .relu, .dropout(rate: 0.3),
        .dense(name: "fc2", outFeatures: 7),
    ])

    @Test(arguments: ["fer-vgg", "seed4", otherLayers.name])
    func engineAndOnnxruntimeAgreeOnRealFaces(_ architecture: String) throws {
        if let missing = ModelIOFixtures.pythonMissing(["onnxruntime", "numpy"]) { Issue.record(Comment(rawValue: missing)); return }
        let faces = try ModelIOFixtures.fer2013Faces(count: Self.faceCount)
        let spec = architecture == Self.otherLayers.name ? Self.otherLayers : try Architectures.spec(named: architecture)
        let normalization = InputNormalization(scale: 1.0 / 255.0, mean: 0.5, std: 0.25)
        let input = faces.flatMap { $0.pixels.map(normalization.apply) }  // (N, 1, 48, 48)
        let x = Tensor(shape: [faces.count] + spec.input, values: input)

        // Random weights, non-trivial batch-norm statistics and affine terms, non-zero biases.
        let network = try Network(spec: spec, seed: 2024)
        var rng = SplitMix64(seed: 99)
        func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * rng.nextFloat() }
        var tensors = network.exportTensors().map { t -> NamedTensor in
            var t = t
            if t.name.hasSuffix("running_mean") || t.name.hasSuffix(".bias") { t.values = t.values.map { _ in uniform(-0.2, 0.2) } }
            if t.name.hasSuffix("running_var") { t.values = t.values.map { _ in uniform(0.5, 2.0) } }
            if t.name.hasPrefix("bn"), t.name.hasSuffix(".weight") { t.values = t.values.map { _ in uniform(0.5, 1.5) } }
            return t
        }
        try network.load(tensors)
        // Scale the last layer so the logits spread over a few units (softmax not saturated).
        let logits0 = network.forward(x, training: false).toArray()
        let mean0 = logits0.reduce(0, +) / Float(logits0.count)
        let std0 = (logits0.map { ($0 - mean0) * ($0 - mean0) }.reduce(0, +) / Float(logits0.count)).squareRoot()
        let last = try #require(spec.layers.last?.name)
        let alpha = 2 / max(std0, 1e-6)
        tensors = tensors.map { t in
            guard t.name.hasPrefix(last + ".") else { return t }
            var t = t
            t.values = t.values.map { $0 * alpha }
            return t
        }
        try network.load(tensors)
        let swiftLogits = network.forward(x, training: false).toArray()  // (N, 7)
        let swiftProbabilities = softmaxRows(swiftLogits, classes: 7)   // (N, 7)

        // Through the model file (as users do), then ONNX.
        let folder = try ModelIOFixtures.tempFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelURL = folder.appendingPathComponent("model.safetensors")
        try ModelFile.save(spec: spec, tensors: network.exportTensors(), normalization: normalization,
                           provenance: ["data": "random weights for the parity test"], to: modelURL)
        let loaded = try ModelFile.load(from: modelURL)
        let reloaded = try Network(spec: loaded.spec, seed: 1)
        try reloaded.load(loaded.tensors)
        #expect(reloaded.forward(x, training: false).toArray() == swiftLogits,
                "a network rebuilt from the model file must compute bit-identical logits")

        let onnxURL = folder.appendingPathComponent("model.onnx")
        try ONNXExporter.export(loaded, to: onnxURL)
        let inputURL = folder.appendingPathComponent("input.f32"), outputURL = folder.appendingPathComponent("output.f32")
        try Data(input.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }).write(to: inputURL)
        let result = try ModelIOFixtures.runScript("run_onnx.py", [onnxURL.path, inputURL.path, String(faces.count)]
                                                   + spec.input.map(String.init) + [outputURL.path])
        try #require(result.status == 0, "run_onnx.py failed: \(result.stderr)")
        let raw = [UInt8](try Data(contentsOf: outputURL))
        try #require(raw.count == faces.count * 7 * 4, "onnxruntime wrote \(raw.count) bytes, expected \(faces.count * 7 * 4)")
        let onnxProbabilities = SafeTensors.readLittleEndianFloats(raw, from: 0, count: faces.count * 7)

        var maxDiff: Float = 0
        for (a, b) in zip(swiftProbabilities, onnxProbabilities) { maxDiff = max(maxDiff, abs(a - b)) }
        let maxProbability = swiftProbabilities.max() ?? 0, minProbability = swiftProbabilities.min() ?? 0
        print("ONNX parity \(architecture): \(faces.count) FER2013 faces × 7 probabilities, max |swift - onnxruntime| = \(maxDiff) (tolerance \(Self.tolerance)); probabilities span [\(minProbability), \(maxProbability)]")
        #expect(maxDiff <= Self.tolerance, "max difference \(maxDiff) exceeds \(Self.tolerance)")
        #expect(maxProbability < 0.999, "softmax saturated; the test would not see small differences")
    }

    /// Row-wise softmax in Double, for (rows, classes) logits.
    func softmaxRows(_ logits: [Float], classes: Int) -> [Float] {
        stride(from: 0, to: logits.count, by: classes).flatMap { start -> [Float] in
            let row = logits[start..<(start + classes)].map(Double.init)
            let m = row.max() ?? 0
            let e = row.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { Float($0 / s) }
        }
    }
}

// Helpers shared by the FERNet tests: random tensors, a finite-difference
// gradient check for any Layer against the loss L = sum(y * r) with a fixed
// random r (so dL/dy = r; central differences, loss summed in Double), and
// TestPython, the one place the tests find the Python they run (the
// checkout's .venv; never the system python3 or whatever is first on PATH).

import Foundation
@testable import FERNet

/// The Python interpreter of the tests: `.venv/bin/python` in the package root,
/// made by `scripts/setup --tests` (Debian's python3 -m venv, with onnxruntime,
/// numpy, safetensors, onnx and h5py). Does not create or repair the venv.
enum TestPython {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let venv = packageRoot.appendingPathComponent(".venv")
    static let interpreter = venv.appendingPathComponent("bin/python")

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The interpreter's path; throws, naming `scripts/setup --tests`, when the venv is missing.
    static func path() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: interpreter.path) else {
            throw Missing(description: "the tests' Python \(interpreter.path) is missing; run `scripts/setup --tests` from \(packageRoot.path) (it creates \(venv.path) with Debian's python3 -m venv and installs onnxruntime, numpy, safetensors, onnx, h5py)")
        }
        return interpreter.path
    }

    /// Runs the venv's Python with `arguments` (a script and its arguments, or `-c CODE`),
    /// through ModelIOFixtures.run (output through files: no pipe can fill and block).
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> ModelIOFixtures.ProcessResult {
        try ModelIOFixtures.run([try path()] + arguments, stdin: stdin)
    }
}

func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    let rng = SeededRandom(seed: seed)
    return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in rng.uniform(scale) })
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

struct GradCheckResult {
    /// Largest |analytic - numeric| / max(1, |analytic|, |numeric|) over the checked input entries.
    var input: Double = 0
    /// Same, per parameter name.
    var parameters: [String: Double] = [:]
    var worst: Double { max(input, parameters.values.max() ?? 0) }
}

/// Checks dL/dx and every parameter gradient of `layer` at `x` by central differences
/// (step `eps`), on at most `samples` entries of each tensor.
func gradCheck(_ layer: any Layer, input x: Tensor, eps: Float = 1e-2, samples: Int = 40, checkInput: Bool = true, seed: UInt64 = 99) -> GradCheckResult {
    let y0 = layer.forward(x, training: true)
    let r = randomTensor(y0.shape, seed: seed).toArray()
    func loss() -> Double {
        let y = layer.forward(x, training: true).toArray()
        var s: Double = 0
        for i in 0..<y.count { s += Double(y[i]) * Double(r[i]) }
        return s
    }
    for p in layer.parameters { p.grad.zero() }
    _ = layer.forward(x, training: true)
    let dx = layer.backward(Tensor(shape: y0.shape, values: r)).toArray()
    let paramGrads = layer.parameters.map { $0.grad.toArray() }
    func relErr(_ a: Float, _ n: Double) -> Double { abs(Double(a) - n) / max(1, abs(Double(a)), abs(n)) }
    func indices(_ count: Int) -> [Int] {
        count <= samples ? Array(0..<count) : (0..<samples).map { $0 * count / samples }
    }
    var result = GradCheckResult()
    if checkInput {
        var values = x.toArray()
        for i in indices(values.count) {
            let old = values[i]
            values[i] = old + eps; x.assign(values); let lp = loss()
            values[i] = old - eps; x.assign(values); let lm = loss()
            values[i] = old; x.assign(values)
            result.input = max(result.input, relErr(dx[i], (lp - lm) / Double(2 * eps)))
        }
    }
    for (j, p) in layer.parameters.enumerated() {
        var worst: Double = 0
        let w = p.value.data
        for i in indices(p.count) {
            let old = w[i]
            w[i] = old + eps; let lp = loss()
            w[i] = old - eps; let lm = loss()
            w[i] = old
            worst = max(worst, relErr(paramGrads[j][i], (lp - lm) / Double(2 * eps)))
        }
        result.parameters[p.name] = worst
    }
    return result
}

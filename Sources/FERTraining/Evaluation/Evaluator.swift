// Runs a network (or an ensemble's networks, whose probabilities are averaged)
// over a whole dataset in batches (inference mode) and returns class
// probabilities, optionally averaged over test-time augmentation views (flips
// and shifted/zoomed crops); then the metrics. Inference runs on the engine's
// EnsembleEngine. Faces go through the same
// FacePreprocessor as in training. It does not train or write files.
import FERNet
import FERVision
import Foundation

public struct Evaluation: Sendable {
    /// (N, classes) probabilities.
    public var probabilities: [Float]
    public var confusion: ConfusionMatrix
    /// Mean cross-entropy of the true labels (no smoothing, no weights).
    public var loss: Double
    /// Expected calibration error of the top class, 15 bins (Calibration).
    public var calibrationError: Double

    public var accuracy: Double { confusion.accuracy }
    public var standardError: Double { confusion.standardError }
}

public enum Evaluator {
    /// Test-time views: as is, flipped, and each of those shifted two pixels
    /// diagonally both ways and zoomed 10 % (8 views).
    public static let ttaViews: [AugmentParams] = {
        var views: [AugmentParams] = []
        for flip in [false, true] {
            views.append(AugmentParams(flip: flip))
            views.append(AugmentParams(flip: flip, dx: 2, dy: 2))
            views.append(AugmentParams(flip: flip, dx: -2, dy: -2))
            views.append(AugmentParams(flip: flip, scale: 1.1))
        }
        return views
    }()

    /// Probabilities for every face of `data`, (N, classes): the mean over `nets`
    /// (one network, or an ensemble's members) through the engine's
    /// EnsembleEngine (batch norm folded, no allocation per batch). Batches of
    /// `batchSize` consecutive faces are dealt round-robin to `threads` workers, each
    /// with its own engine and single-threaded OpenBLAS (restored afterwards), so
    /// the numbers do not depend on the thread count.
    public static func probabilities(nets: [Network], data: FaceDataset, preprocessor: FacePreprocessor,
                                     batchSize: Int = 256, tta: Bool = false, threads: Int = 2) throws -> [Float] {
        guard let k = nets.first?.classCount else { throw InferenceEngineError.unsupportedNetwork("evaluation needs at least one network") }
        let batch = max(1, min(batchSize, data.count))
        let batches = (data.count + batch - 1) / batch
        let workers = max(1, min(threads, batches))
        let engines = try (0 ..< workers).map { _ in try EnsembleEngine(networks: nets, maxBatch: batch) }
        let previousThreads = Threads.blas
        Threads.setBLAS(1)
        defer { Threads.setBLAS(previousThreads) }

        var probs = [Float](repeating: 0, count: data.count * k)  // (N, K)
        probs.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            nonisolated(unsafe) let engines = engines
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for b in stride(from: w, to: batches, by: workers) {
                    let lo = b * batch, hi = min(lo + batch, data.count)
                    run(engines[w], data: data, range: lo ..< hi, batch: batch, preprocessor: preprocessor, tta: tta,
                        into: out.baseAddress! + lo * k)
                }
            }
        }
        return probs
    }

    /// Faces `range` (at most `batch` of them per engine call), probabilities averaged over the views into `out` (range.count, K).
    private static func run(_ engine: EnsembleEngine, data: FaceDataset, range: Range<Int>, batch: Int,
                            preprocessor: FacePreprocessor, tta: Bool, into out: UnsafeMutablePointer<Float>) {
        let k = engine.classCount, plane = FaceDataset.pixelCount
        let views = tta ? ttaViews : [AugmentParams.identity]
        let weight = 1 / Float(views.count)
        var x = [Float](repeating: 0, count: batch * plane)  // (batch, 1, 48, 48)
        var p = [Float](repeating: 0, count: batch * k)      // (batch, K)
        var face = [UInt8](repeating: 0, count: plane)       // (48, 48) scratch
        for start in stride(from: range.lowerBound, to: range.upperBound, by: batch) {
            let n = min(batch, range.upperBound - start)
            for view in views {
                data.pixels.withUnsafeBufferPointer { all in
                    x.withUnsafeMutableBufferPointer { xb in
                        for j in 0 ..< n {
                            let src = UnsafeBufferPointer(rebasing: all[(start + j) * plane ..< (start + j + 1) * plane])
                            let dst = xb.baseAddress! + j * plane
                            if view == .identity {
                                preprocessor.normalize(src.baseAddress!, into: dst)
                            } else {
                                face.withUnsafeMutableBufferPointer { Augment.apply(view, src, into: $0) }
                                face.withUnsafeBufferPointer { preprocessor.normalize($0.baseAddress!, into: dst) }
                            }
                        }
                    }
                }
                x.withUnsafeBufferPointer { xb in
                    p.withUnsafeMutableBufferPointer { engine.probabilities(input: xb.baseAddress!, count: n, output: $0.baseAddress!) }
                }
                let base = (start - range.lowerBound) * k
                for i in 0 ..< n * k { out[base + i] += p[i] * weight }
            }
        }
    }

    /// The predicted class of face `i` in probabilities (N, classes): its most probable one.
    public static func predictedClass(_ probs: [Float], face i: Int, classes k: Int) -> Int {
        let row = probs[i * k ..< (i + 1) * k]
        return row.indices.max { row[$0] < row[$1] }! - i * k
    }

    /// Metrics of probabilities (N, K) against the dataset's labels.
    public static func evaluate(probabilities probs: [Float], labels: [UInt8], classes k: Int) -> Evaluation {
        var cm = ConfusionMatrix(classes: k)
        var loss = 0.0
        for (i, y) in labels.enumerated() {
            cm.add(truth: Int(y), predicted: predictedClass(probs, face: i, classes: k))
            loss -= log(max(Double(probs[i * k + Int(y)]), 1e-12))
        }
        return Evaluation(probabilities: probs, confusion: cm, loss: labels.isEmpty ? 0 : loss / Double(labels.count),
                          calibrationError: Calibration.expectedCalibrationError(probabilities: probs, labels: labels, classes: k))
    }

    /// Probabilities and metrics in one call.
    public static func evaluate(nets: [Network], data: FaceDataset, preprocessor: FacePreprocessor,
                                batchSize: Int = 256, tta: Bool = false, threads: Int = 2) throws -> Evaluation {
        let p = try probabilities(nets: nets, data: data, preprocessor: preprocessor, batchSize: batchSize, tta: tta, threads: threads)
        return evaluate(probabilities: p, labels: data.labels, classes: nets[0].classCount)
    }
}

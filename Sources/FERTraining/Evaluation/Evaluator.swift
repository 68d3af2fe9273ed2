// Runs a network over a whole dataset in batches (inference mode) and returns
// class probabilities, optionally averaged over test-time augmentation views
// (flips and shifted/zoomed crops); then the metrics. Inference runs on the
// engine's InferenceEngine. Faces go through the same
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

    /// Probabilities for every face of `data`, (N, classes), through the engine's
    /// InferenceEngine (batch norm folded, no allocation per batch). OpenBLAS runs
    /// `threads` threads meanwhile; its previous setting is restored afterwards.
    public static func probabilities(net: Network, data: FaceDataset, preprocessor: FacePreprocessor,
                                     batchSize: Int = 256, tta: Bool = false, threads: Int = 2) throws -> [Float] {
        let k = net.classCount, plane = FaceDataset.pixelCount
        let views = tta ? ttaViews : [AugmentParams.identity]
        let batch = max(1, min(batchSize, data.count))
        let engine = try InferenceEngine(network: net, maxBatch: batch)
        let previousThreads = Threads.blas
        Threads.setBLAS(max(1, threads))
        defer { Threads.setBLAS(previousThreads) }

        var probs = [Float](repeating: 0, count: data.count * k)  // (N, K)
        var x = [Float](repeating: 0, count: batch * plane)       // (batch, 1, 48, 48)
        var p = [Float](repeating: 0, count: batch * k)           // (batch, K)
        var face = [UInt8](repeating: 0, count: plane)            // (48, 48) scratch
        let weight = 1 / Float(views.count)
        for start in stride(from: 0, to: data.count, by: batch) {
            let n = min(batch, data.count - start)
            for view in views {
                data.pixels.withUnsafeBufferPointer { all in
                    x.withUnsafeMutableBufferPointer { xb in
                        for j in 0 ..< n {
                            let src = UnsafeBufferPointer(rebasing: all[(start + j) * plane ..< (start + j + 1) * plane])
                            let dst = xb.baseAddress! + j * plane
                            if view == .identity {
                                preprocessor.normalize48(src.baseAddress!, into: dst)
                            } else {
                                face.withUnsafeMutableBufferPointer { Augment.apply(view, src, into: $0) }
                                face.withUnsafeBufferPointer { preprocessor.normalize48($0.baseAddress!, into: dst) }
                            }
                        }
                    }
                }
                x.withUnsafeBufferPointer { xb in
                    p.withUnsafeMutableBufferPointer { engine.probabilities(input: xb.baseAddress!, count: n, output: $0.baseAddress!) }
                }
                for i in 0 ..< n * k { probs[start * k + i] += p[i] * weight }
            }
        }
        return probs
    }

    /// Metrics of probabilities (N, K) against the dataset's labels.
    public static func evaluate(probabilities probs: [Float], labels: [UInt8], classes k: Int) -> Evaluation {
        var cm = ConfusionMatrix(classes: k)
        var loss = 0.0
        for (i, y) in labels.enumerated() {
            let row = probs[i * k ..< (i + 1) * k]
            let predicted = row.indices.max { row[$0] < row[$1] }! - i * k
            cm.add(truth: Int(y), predicted: predicted)
            loss -= log(max(Double(row[i * k + Int(y)]), 1e-12))
        }
        return Evaluation(probabilities: probs, confusion: cm, loss: labels.isEmpty ? 0 : loss / Double(labels.count))
    }

    /// Probabilities and metrics in one call.
    public static func evaluate(net: Network, data: FaceDataset, preprocessor: FacePreprocessor,
                                batchSize: Int = 256, tta: Bool = false, threads: Int = 2) throws -> Evaluation {
        let p = try probabilities(net: net, data: data, preprocessor: preprocessor, batchSize: batchSize, tta: tta, threads: threads)
        return evaluate(probabilities: p, labels: data.labels, classes: net.classCount)
    }
}

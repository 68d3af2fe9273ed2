// EmotionClassifier over the Swift CNN engine (FERNet.Network): builds the
// network from the model file's spec, loads its weights, and turns a batch of
// preprocessed faces into softmax probabilities. Inference only (no dropout,
// batch-norm running statistics). Not thread-safe: one inference thread.
import FERNet
import Foundation

public final class CNNEmotionClassifier: EmotionClassifier {
    public let inputSide: Int
    public let normalization: InputNormalization
    public let labels: [String]
    private let network: Network

    public init(model: LoadedModel, path: String, threads: Int) throws(CamError) {
        guard model.spec.input.count == 3, model.spec.input[0] == 1, model.spec.input[1] == model.spec.input[2] else {
            throw .configuration("model file \(path): input shape \(model.spec.input) is not (1, S, S) gray")
        }
        guard model.labels == Emotion.names else {
            throw .configuration("model file \(path): labels \(model.labels) are not the 7 FER2013 emotions in order")
        }
        inputSide = model.spec.input[1]
        normalization = model.normalization
        labels = model.labels
        do {
            network = try Network(spec: model.spec, seed: 0)
            try network.load(model.tensors)
        } catch let e as ModelSpecError {
            throw .configuration("model file \(path): \(e)")
        } catch {
            throw .configuration("model file \(path): \(error)")
        }
        guard network.classCount == Emotion.count else {
            throw .configuration("model file \(path): network has \(network.classCount) outputs, expected \(Emotion.count)")
        }
        Threads.setBLAS(max(1, threads))
        network.workers = max(1, threads)
    }

    public func classify(_ input: UnsafeBufferPointer<Float>, count: Int) throws(CamError) -> [[Float]] {
        let side = inputSide
        guard count > 0 else { return [] }
        guard input.count == count * side * side else {
            throw .internalError("classifier: \(input.count) floats for \(count) faces of \(side)x\(side)")
        }
        let x = Tensor(shape: [count, 1, side, side])   // (N, 1, S, S)
        x.data.update(from: input.baseAddress!, count: input.count)
        let logits = network.forward(x, training: false)   // (N, 7)
        let k = Emotion.count
        let z = logits.toArray()
        return (0..<count).map { n in Softmax.row(z[(n * k)..<(n * k + k)]) }
    }
}

enum Softmax {
    /// Numerically stable softmax of one row of logits.
    static func row(_ z: ArraySlice<Float>) -> [Float] {
        let m = z.max() ?? 0
        let e = z.map { ($0 - m).isFinite ? expf($0 - m) : 0 }
        let s = e.reduce(0, +)
        return s > 0 ? e.map { $0 / s } : [Float](repeating: 1 / Float(z.count), count: z.count)
    }
}


// EmotionClassifier over the Swift CNN engine: builds the network (or an
// ensemble file's networks) from the model file's spec, loads the weights, and
// runs them through FERNet's EnsembleEngine (batch norm folded, buffers
// allocated once; an ensemble's probabilities are its members' mean) to turn a
// batch of preprocessed faces into probabilities. Not thread-safe: one inference thread.
import FERNet

public final class CNNEmotionClassifier: EmotionClassifier {
    public let inputSide: Int
    public let normalization: InputNormalization
    public let labels: [String]
    private let engine: EnsembleEngine
    private var output: [Float]   // (maxBatch, 7)

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
        Threads.setBLAS(max(1, threads))
        let networks: [Network]
        do {
            networks = try model.networks()
        } catch let e as ModelSpecError {
            throw .configuration("model file \(path): \(e)")
        } catch {
            throw .configuration("model file \(path): \(error)")
        }
        guard networks[0].classCount == Emotion.count else {
            throw .configuration("model file \(path): network has \(networks[0].classCount) outputs, expected \(Emotion.count)")
        }
        do { engine = try EnsembleEngine(warmedUp: networks, maxBatch: 16) } catch {
            throw .configuration("model file \(path): \(error)")
        }
        output = [Float](repeating: 0, count: engine.maxBatch * Emotion.count)
    }

    public func classify(_ input: UnsafeBufferPointer<Float>, count: Int) throws(CamError) -> [[Float]] {
        let per = inputSide * inputSide
        guard count > 0 else { return [] }
        guard input.count == count * per else {
            throw .internalError("classifier: \(input.count) floats for \(count) faces of \(inputSide)x\(inputSide)")
        }
        let k = Emotion.count
        var rows: [[Float]] = []
        rows.reserveCapacity(count)
        var start = 0
        while start < count {   // batches of at most maxBatch faces
            let n = min(engine.maxBatch, count - start)
            let eng = engine
            output.withUnsafeMutableBufferPointer { out in
                eng.probabilities(input: input.baseAddress! + start * per, count: n, output: out.baseAddress!)
            }
            for i in 0..<n { rows.append(Array(output[(i * k)..<(i * k + k)])) }
            start += n
        }
        return rows
    }
}

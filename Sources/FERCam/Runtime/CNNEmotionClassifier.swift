// EmotionClassifier over the Swift CNN engine (FERNet): builds the network
// from the model file's spec, loads its weights, and returns softmax
// probabilities for a batch of preprocessed faces.
import FERNet

public final class CNNEmotionClassifier: EmotionClassifier {
    public let inputSide: Int
    public let normalization: InputNormalization
    public let labels: [String]

    public init(model: LoadedModel, path: String, threads: Int) throws(CamError) {
        guard model.spec.input.count == 3, model.spec.input[0] == 1, model.spec.input[1] == model.spec.input[2] else {
            throw .configuration("model file \(path): input shape \(model.spec.input) is not (1, S, S) gray")
        }
        inputSide = model.spec.input[1]
        normalization = model.normalization
        labels = model.labels
        throw .internalError("model file \(path): the CNN engine is not merged into this build yet")
    }

    public func classify(_ input: UnsafeBufferPointer<Float>, count: Int) throws(CamError) -> [[Float]] {
        []
    }
}

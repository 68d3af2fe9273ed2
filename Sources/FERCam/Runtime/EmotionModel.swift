// Loads the emotion model file for the daemon: reads and validates it
// (FERNet.ModelFile), maps its errors to exit codes (missing 66, anything
// wrong inside 78), and builds the EmotionClassifier that runs it.
import Foundation
import FERNet

public enum EmotionModel {
    /// Reads and validates `path`.
    public static func read(path: String) throws(CamError) -> LoadedModel {
        do {
            return try ModelFile.load(from: URL(fileURLWithPath: path))
        } catch {
            if case .fileMissing = error.problem { throw .inputMissing(error.description) }
            throw .configuration(error.description)
        }
    }

    /// The classifier for the model at `path`, running on `threads` BLAS threads.
    public static func classifier(path: String, threads: Int) throws(CamError) -> EmotionClassifier {
        let model = try read(path: path)
        return try CNNEmotionClassifier(model: model, path: path, threads: threads)
    }
}

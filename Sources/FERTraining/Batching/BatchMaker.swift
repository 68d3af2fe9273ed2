// Turns dataset indices into one network batch: augment each face (seeded per
// epoch and sample), then normalize it with FacePreprocessor.normalize, the
// daemon's own function, into an (N, 1, 48, 48) tensor. Also the targets.
import FERNet
import FERVision

public struct TrainingBatch: Sendable {
    /// (N, 1, 48, 48) network input.
    public var inputs: Tensor
    /// (N) class indices.
    public var labels: [Int]
    /// (N, 7) soft targets, or nil for hard labels.
    public var targets: Tensor?
}

public struct BatchMaker: Sendable {
    public let data: FaceDataset
    public let preprocessor: FacePreprocessor
    public let augmentation: AugmentationConfig
    public let seed: UInt64

    public init(data: FaceDataset, preprocessor: FacePreprocessor, augmentation: AugmentationConfig, seed: UInt64) {
        self.data = data
        self.preprocessor = preprocessor
        self.augmentation = augmentation
        self.seed = seed
    }

    /// The augmented face `index` as it appears in `epoch` (48, 48).
    public func augmentedFace(_ index: Int, epoch: Int) -> [UInt8] {
        var rng = SeedStream.sample(seed: seed, epoch: epoch, index: index)
        let params = AugmentParams.random(augmentation, using: &rng)
        return Augment.apply(params, data.image(index))
    }

    /// The batch for `indices`; `augment` false gives the faces as they are (evaluation).
    public func batch(_ indices: [Int], epoch: Int, augment: Bool) -> TrainingBatch {
        let n = indices.count, side = FaceDataset.side, plane = FaceDataset.pixelCount
        let x = Tensor(shape: [n, 1, side, side])  // (N, 1, 48, 48)
        let out = x.data
        var face = [UInt8](repeating: 0, count: plane)  // (48, 48) scratch
        data.pixels.withUnsafeBufferPointer { all in
            for (slot, i) in indices.enumerated() {
                let src = UnsafeBufferPointer(rebasing: all[i * plane ..< (i + 1) * plane])
                if augment && augmentation != .none {
                    var rng = SeedStream.sample(seed: seed, epoch: epoch, index: i)
                    let params = AugmentParams.random(augmentation, using: &rng)
                    face.withUnsafeMutableBufferPointer { Augment.apply(params, src, into: $0) }
                    face.withUnsafeBufferPointer { preprocessor.normalize($0.baseAddress!, into: out + slot * plane) }
                } else {
                    preprocessor.normalize(src.baseAddress!, into: out + slot * plane)
                }
            }
        }
        var targets: Tensor?
        if let soft = data.softTargets {
            let t = Tensor(shape: [n, Emotion.count])  // (N, 7)
            for (slot, i) in indices.enumerated() {
                for c in 0 ..< Emotion.count { t.data[slot * Emotion.count + c] = soft[i * Emotion.count + c] }
            }
            targets = t
        }
        return TrainingBatch(inputs: x, labels: indices.map { Int(data.labels[$0]) }, targets: targets)
    }
}

// How 8-bit gray pixels become network inputs: x = (pixel * scale - mean) / std.
// Stored in the model file's metadata, applied by the one face preprocessing
// function that both the trainer and the daemon call (FERVision.FacePreprocessor).

public struct InputNormalization: Codable, Equatable, Sendable {
    public var scale: Float
    public var mean: Float
    public var std: Float

    public init(scale: Float = 1.0 / 255.0, mean: Float = 0, std: Float = 1) {
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// pixel / 255: what most Keras FER scripts feed their networks.
    public static let unit = InputNormalization()

    /// FER2013 Training's pixel mean and spread on the 0-1 scale, as `fer-train train`
    /// measures them (Trainer.normalization) and the shipped model records them.
    public static let fer2013 = InputNormalization(scale: 1.0 / 255.0, mean: 0.5077, std: 0.255)

    /// Maps one 8-bit pixel to the network's input value.
    @inline(__always)
    public func apply(_ pixel: UInt8) -> Float { (Float(pixel) * scale - mean) / std }
}

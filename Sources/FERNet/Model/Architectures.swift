// Architectures: the named network specs the tools can build ("seed4",
// "fer-vgg"). Specs only; the engine builds networks from them.

public enum Architectures {
    public static let defaultName = "fer-vgg"
    public static let names = ["seed4", "fer-vgg"]

    public static func spec(named name: String) throws(ModelSpecError) -> ModelSpec {
        switch name {
        case "seed4": return seed4
        case "fer-vgg": return ferVGG
        default: throw .unknownArchitecture(name, known: names)
        }
    }

    private static func conv(_ i: Int, _ out: Int) -> [LayerSpec] {
        [.conv2d(name: "conv\(i)", outChannels: out, kernel: 3, stride: 1, padding: 1),
         .batchNorm(name: "bn\(i)", epsilon: 1e-5, momentum: 0.1),
         .relu]
    }

    private static let pool = LayerSpec.maxPool(kernel: 2, stride: 2)

    /// The seeds' 4-block CNN (about 0.68 M parameters).
    public static let seed4 = ModelSpec(
        name: "seed4", input: [1, 48, 48],
        layers: conv(1, 32) + [pool] + conv(2, 64) + [pool] + conv(3, 128) + [pool] + conv(4, 256) + [pool] + [
            .flatten, .dropout(rate: 0.5),
            .dense(name: "fc1", outFeatures: 128), .relu, .dropout(rate: 0.5),
            .dense(name: "fc2", outFeatures: Emotion.count),
        ])

    /// The product default: VGG-style, 10 conv layers (about 0.32 GFLOP per face).
    public static let ferVGG = ModelSpec(
        name: "fer-vgg", input: [1, 48, 48],
        layers: conv(1, 32) + conv(2, 32) + [pool]
            + conv(3, 64) + conv(4, 64) + [pool]
            + conv(5, 128) + conv(6, 128) + conv(7, 128) + [pool]
            + conv(8, 256) + conv(9, 256) + conv(10, 256) + [pool] + [
                .flatten, .dropout(rate: 0.5),
                .dense(name: "fc1", outFeatures: 256),
                .batchNorm(name: "bn11", epsilon: 1e-5, momentum: 0.1), .relu, .dropout(rate: 0.5),
                .dense(name: "fc2", outFeatures: Emotion.count),
            ])
}

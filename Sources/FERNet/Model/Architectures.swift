// Architectures: the named network specs the tools can build ("seed4",
// "fer-vgg", "fer-vgg-half"). Specs only; the engine builds networks from them.

public enum Architectures {
    public static let defaultName = "fer-vgg"
    public static let names = ["seed4", "fer-vgg", "fer-vgg-half"]

    public static func spec(named name: String) throws(ModelSpecError) -> ModelSpec {
        switch name {
        case "seed4": return seed4
        case "fer-vgg": return ferVGG
        case "fer-vgg-half": return ferVGGHalf
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
    public static let ferVGG = vgg(name: "fer-vgg", width: 32)

    /// fer-vgg with half the channels in every layer (about a quarter of the
    /// work): a fast second member for an ensemble with fer-vgg.
    public static let ferVGGHalf = vgg(name: "fer-vgg-half", width: 16)

    /// 10 conv layers in 4 blocks of width, 2·width, 4·width, 8·width channels, then dense 8·width.
    private static func vgg(name: String, width w: Int) -> ModelSpec {
        ModelSpec(
            name: name, input: [1, 48, 48],
            layers: conv(1, w) + conv(2, w) + [pool]
                + conv(3, 2 * w) + conv(4, 2 * w) + [pool]
                + conv(5, 4 * w) + conv(6, 4 * w) + conv(7, 4 * w) + [pool]
                + conv(8, 8 * w) + conv(9, 8 * w) + conv(10, 8 * w) + [pool] + [
                    .flatten, .dropout(rate: 0.5),
                    .dense(name: "fc1", outFeatures: 8 * w),
                    .batchNorm(name: "bn11", epsilon: 1e-5, momentum: 0.1), .relu, .dropout(rate: 0.5),
                    .dense(name: "fc2", outFeatures: Emotion.count),
                ])
    }
}

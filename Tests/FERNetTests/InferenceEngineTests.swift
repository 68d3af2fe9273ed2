import Testing
@testable import FERNet

@Suite struct InferenceEngineTests {
    /// A network whose batch norms have non-trivial running statistics and affine parameters.
    static func trainedLike(_ spec: ModelSpec, seed: UInt64) throws -> Network {
        let net = try Network(spec: spec, seed: seed)
        let rng = SeededRandom(seed: seed + 1)
        for layer in net.layers {
            guard let bn = layer as? BatchNorm else { continue }
            bn.runningMean.assign((0..<bn.channels).map { _ in rng.uniform(0.5) })
            bn.runningVar.assign((0..<bn.channels).map { _ in 0.5 + rng.nextUniform() })
            bn.weight.value.assign((0..<bn.channels).map { _ in 0.5 + rng.nextUniform() })
            bn.bias.value.assign((0..<bn.channels).map { _ in rng.uniform(0.2) })
        }
        return net
    }

    static func reference(_ net: Network, _ x: Tensor) -> [Float] {
        softmax(net.forward(x, training: false)).toArray()
    }

    static let mixed = ModelSpec(name: "mixed", input: [2, 9, 9], layers: [
        .conv2d(name: "c1", outChannels: 4, kernel: 3, stride: 2, padding: 1),
        .batchNorm(name: "b1", epsilon: 1e-5, momentum: 0.1), .relu,
        .conv2d(name: "c2", outChannels: 6, kernel: 1, stride: 1, padding: 0),
        .relu, .avgPool(kernel: 2, stride: 1),
        .batchNorm(name: "b2", epsilon: 1e-5, momentum: 0.1),
        .maxPool(kernel: 3, stride: 1), .globalAvgPool,
        .dense(name: "fc", outFeatures: 5), .dropout(rate: 0.3),
        .batchNorm(name: "b3", epsilon: 1e-5, momentum: 0.1), .relu,
        .dense(name: "out", outFeatures: 3),
    ])

    @Test(arguments: ["seed4", "fer-vgg"])
    func agreesWithTheNetworkOnArchitectures(name: String) throws {
        let net = try Self.trainedLike(try Architectures.spec(named: name), seed: 3)
        let engine = try InferenceEngine(network: net, maxBatch: 4)
        for n in [1, 3] {
            let x = randomTensor([n, 1, 48, 48], seed: UInt64(10 + n))
            var p = [Float](repeating: -1, count: n * 7)
            engine.probabilities(input: x.data, count: n, output: &p)
            let diff = maxAbsDifference(p, Self.reference(net, x))
            #expect(diff < 1e-5, "\(name) batch \(n): max difference \(diff)")
        }
    }

    @Test func agreesOnMixedLayersMultiChannelInputAndSmallGroups() throws {
        let net = try Self.trainedLike(Self.mixed, seed: 5)
        let engine = try InferenceEngine(network: net, maxBatch: 5, groupBytes: 1)
        let x = randomTensor([5, 2, 9, 9], seed: 6)
        var p = [Float](repeating: 0, count: 15)
        engine.probabilities(input: x.data, count: 5, output: &p)
        let diff = maxAbsDifference(p, Self.reference(net, x))
        #expect(diff < 1e-5, "max difference \(diff)")
        // Rows are probability distributions.
        for i in 0..<5 { #expect(abs(p[(3 * i)..<(3 * i + 3)].reduce(0, +) - 1) < 1e-5) }
    }

    @Test(arguments: [1, 2, 5])
    func winogradAgreesWithDirectConvolution(batch: Int) throws {
        // Odd and even sizes, several input channels, every conv through Winograd vs none.
        let spec = ModelSpec(name: "w", input: [3, 7, 10], layers: [
            .conv2d(name: "c1", outChannels: 5, kernel: 3, stride: 1, padding: 1), .relu,
            .conv2d(name: "c2", outChannels: 4, kernel: 3, stride: 1, padding: 1),
            .batchNorm(name: "b2", epsilon: 1e-5, momentum: 0.1), .relu,
            .flatten, .dense(name: "fc", outFeatures: 3),
        ])
        let net = try Self.trainedLike(spec, seed: 9)
        let wino = try InferenceEngine(network: net, maxBatch: 5, groupBytes: 64, winogradMinimumSize: 1, winogradMinimumChannels: 1)
        let direct = try InferenceEngine(network: net, maxBatch: 5, winogradMinimumSize: .max)
        let x = randomTensor([batch, 3, 7, 10], seed: 10)
        var a = [Float](repeating: 0, count: batch * 3), b = a
        wino.logits(input: x.data, count: batch, output: &a)
        direct.logits(input: x.data, count: batch, output: &b)
        let diff = maxAbsDifference(a, b)
        #expect(diff < 1e-4, "max logit difference \(diff)")
        #expect(maxAbsDifference(b, net.forward(x, training: false).toArray()) < 1e-4)
    }

    @Test func winogradOnSmallDeepPlanesAgreesWithDirectConvolution() throws {
        // 64 and 70 channels on 6x6 planes: layouts whose U[k] go into cgemm's wide panels.
        let spec = ModelSpec(name: "deep", input: [64, 6, 6], layers: [
            .conv2d(name: "c1", outChannels: 70, kernel: 3, stride: 1, padding: 1), .relu,
            .conv2d(name: "c2", outChannels: 33, kernel: 3, stride: 1, padding: 1), .relu,
            .flatten, .dense(name: "fc", outFeatures: 4),
        ])
        #expect(Winograd.Layout(cin: 64, cout: 70, h: 6, w: 6).prefersWidePanels)
        let net = try Self.trainedLike(spec, seed: 21)
        let wino = try InferenceEngine(network: net, maxBatch: 3, winogradMinimumSize: 1, winogradMinimumChannels: 1)
        let direct = try InferenceEngine(network: net, maxBatch: 3, winogradMinimumSize: .max)
        let x = randomTensor([3, 64, 6, 6], seed: 22)
        var a = [Float](repeating: 0, count: 12), b = a
        wino.logits(input: x.data, count: 3, output: &a)
        direct.logits(input: x.data, count: 3, output: &b)
        #expect(maxAbsDifference(a, b) < 1e-3 * max(1, b.map(abs).max()!), "max logit difference \(maxAbsDifference(a, b))")
    }

    @Test func repeatedCallsGiveIdenticalResults() throws {
        let engine = try InferenceEngine(network: try Network(architecture: "seed4", seed: 1), maxBatch: 2)
        let x = randomTensor([2, 1, 48, 48], seed: 7)
        var p1 = [Float](repeating: 0, count: 14), p2 = p1
        engine.probabilities(input: x.data, count: 2, output: &p1)
        engine.probabilities(input: x.data, count: 2, output: &p2)
        #expect(p1 == p2)
    }

    @Test func tensorConvenienceMatchesThePointerForm() throws {
        let engine = try InferenceEngine(network: try Network(architecture: "seed4", seed: 2), maxBatch: 3)
        let x = randomTensor([3, 1, 48, 48], seed: 12)
        var p = [Float](repeating: 0, count: 21)
        engine.probabilities(input: x.data, count: 3, output: &p)
        let t = engine.probabilities(x)
        #expect(t.shape == [3, 7] && t.toArray() == p)
    }

    @Test func engineIsASnapshotOfTheNetwork() throws {
        let net = try Network(architecture: "seed4", seed: 1)
        let engine = try InferenceEngine(network: net, maxBatch: 1)
        let x = randomTensor([1, 1, 48, 48], seed: 8)
        let before = Self.reference(net, x)
        for p in net.parameters { p.value.zero() }
        var p = [Float](repeating: 0, count: 7)
        engine.probabilities(input: x.data, count: 1, output: &p)
        #expect(maxAbsDifference(p, before) < 1e-5)
    }

    @Test func foldedMultiplyAddsMatchTheSpec() throws {
        let engine = try InferenceEngine(network: try Network(architecture: "fer-vgg", seed: 1), maxBatch: 1)
        #expect(abs(Double(2 * engine.multiplyAddsPerInput) / 1e9 - 0.32) < 0.01)
    }
}

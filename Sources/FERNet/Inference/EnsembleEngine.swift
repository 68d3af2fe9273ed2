// EnsembleEngine: classifies faces with every network of a model file (one for
// a plain model, several for an ensemble) and returns the mean of their class
// probabilities. One InferenceEngine per member (they run one after the other
// and share their scratch buffers); buffers allocated up front, so a call
// allocates nothing. A one-member ensemble is exactly its engine.
// Not thread-safe: one per thread. It does not load files (LoadedModel.networks()).

public final class EnsembleEngine {
    /// Input shape per face, (C, H, W), e.g. (1, 48, 48).
    public let inputShape: [Int]
    public let classCount: Int
    public let maxBatch: Int
    public let members: [InferenceEngine]
    /// Multiply-adds per input over all members.
    public var multiplyAddsPerInput: Int { members.reduce(0) { $0 + $1.multiplyAddsPerInput } }
    private let memberOutput: TensorStorage  // (maxBatch, classes): one member's probabilities

    /// - Parameter networks: trained networks with the same input shape and class count.
    public convenience init(networks: [Network], maxBatch: Int = 32) throws(InferenceEngineError) {
        var engines: [InferenceEngine] = []
        for net in networks { engines.append(try InferenceEngine(network: net, maxBatch: maxBatch, sharing: engines.first)) }
        try self.init(engines: engines)
    }

    /// - Parameter engines: one engine per member, all with the same input shape, class count and maxBatch.
    public init(engines: [InferenceEngine]) throws(InferenceEngineError) {
        guard let first = engines.first else { throw .unsupportedNetwork("an ensemble needs at least one network") }
        for (i, e) in engines.enumerated() where e.inputShape != first.inputShape || e.classCount != first.classCount || e.maxBatch != first.maxBatch {
            throw .unsupportedNetwork("ensemble member \(i): input \(e.inputShape), \(e.classCount) classes, batch \(e.maxBatch); member 0: \(first.inputShape), \(first.classCount), \(first.maxBatch)")
        }
        members = engines
        inputShape = first.inputShape
        classCount = first.classCount
        maxBatch = first.maxBatch
        memberOutput = TensorStorage(count: engines.count > 1 ? maxBatch * classCount : 0)
    }

    /// Convenience: builds the engines and runs one warm-up call.
    public convenience init(warmedUp networks: [Network], maxBatch: Int = 32) throws(InferenceEngineError) {
        try self.init(networks: networks, maxBatch: maxBatch)
        let x = [Float](repeating: 0, count: inputShape.reduce(1, *) * maxBatch)
        var p = [Float](repeating: 0, count: classCount * maxBatch)
        x.withUnsafeBufferPointer { xb in p.withUnsafeMutableBufferPointer { pb in
            probabilities(input: xb.baseAddress!, count: maxBatch, output: pb.baseAddress!)
        } }
    }

    /// Mean class probabilities over the members, (N, classes), for `count` inputs (N, C, H, W), row-major.
    public func probabilities(input: UnsafePointer<Float>, count n: Int, output: UnsafeMutablePointer<Float>) {
        members[0].probabilities(input: input, count: n, output: output)
        guard members.count > 1 else { return }
        let size = n * classCount
        for engine in members.dropFirst() {
            engine.probabilities(input: input, count: n, output: memberOutput.pointer)
            for i in 0..<size { output[i] += memberOutput.pointer[i] }
        }
        let scale = 1 / Float(members.count)
        for i in 0..<size { output[i] *= scale }
    }
}

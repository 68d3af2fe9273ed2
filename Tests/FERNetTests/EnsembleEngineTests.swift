// Tests of EnsembleEngine: its probabilities are the mean of its members'
// (each member checked through its own InferenceEngine, while the ensemble's
// members share their scratch buffers), one member is exactly
// that member's engine, and members that disagree on input are refused.

import Testing
@testable import FERNet

@Suite struct EnsembleEngineTests {
    func trained(_ spec: ModelSpec, seed: UInt64) throws -> Network {
        let net = try Network(spec: spec, seed: 0)
        try net.load(try ModelIOFixtures.tensors(for: spec, seed: seed))
        return net
    }

    func run(_ probabilities: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void, _ x: [Float], n: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: n * 7)
        x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { probabilities(xb.baseAddress!, n, $0.baseAddress!) } }
        return out
    }

    @Test func probabilitiesAreTheMeanOfTheMembers() throws {
        let nets = [try trained(ModelFileMembersTests.specA, seed: 1), try trained(ModelFileMembersTests.specB, seed: 2),
                    try trained(ModelFileMembersTests.specA, seed: 3)]
        let n = 5
        let rng = SeededRandom(seed: 4)
        let x = (0..<(n * 144)).map { _ in rng.normal() }  // (5, 1, 12, 12)
        let ensemble = try EnsembleEngine(networks: nets, maxBatch: 8)
        let got = run(ensemble.probabilities, x, n: n)
        var expected = [Float](repeating: 0, count: n * 7)
        for net in nets {
            let engine = try InferenceEngine(network: net, maxBatch: 8)
            for (i, p) in run(engine.probabilities, x, n: n).enumerated() { expected[i] += p / 3 }
        }
        let diff = zip(got, expected).map { abs($0 - $1) }.max()!
        #expect(diff < 1e-6, "max difference \(diff)")
        for row in 0..<n {   // still a distribution per face
            #expect(abs(got[row * 7 ..< row * 7 + 7].reduce(0, +) - 1) < 1e-5)
        }
        // The members really differ, so the mean is not any one of them.
        let first = run(try InferenceEngine(network: nets[0], maxBatch: 8).probabilities, x, n: n)
        #expect(zip(got, first).map { abs($0 - $1) }.max()! > 1e-3)
    }

    @Test func oneMemberIsExactlyItsEngine() throws {
        let net = try trained(ModelFileMembersTests.specA, seed: 5)
        let rng = SeededRandom(seed: 6)
        let x = (0..<(3 * 144)).map { _ in rng.normal() }
        let single = run(try EnsembleEngine(networks: [net], maxBatch: 4).probabilities, x, n: 3)
        let engine = run(try InferenceEngine(network: net, maxBatch: 4).probabilities, x, n: 3)
        #expect(single.map(\.bitPattern) == engine.map(\.bitPattern))
    }

    @Test func membersMustAgreeOnInputAndBatch() throws {
        var other = ModelFileMembersTests.specB
        other.input = [1, 10, 10]
        let a = try trained(ModelFileMembersTests.specA, seed: 1), b = try trained(other, seed: 1)
        #expect(throws: InferenceEngineError.self) { try EnsembleEngine(networks: [a, b]) }
        #expect(throws: InferenceEngineError.self) { try EnsembleEngine(networks: []) }
        let e4 = try InferenceEngine(network: a, maxBatch: 4), e8 = try InferenceEngine(network: a, maxBatch: 8)
        #expect(throws: InferenceEngineError.self) { try EnsembleEngine(engines: [e4, e8]) }
    }
}

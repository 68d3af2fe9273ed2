import Testing
@testable import FERNet

@Suite struct ArchitecturesTests {
    @Test func namesResolveAndUnknownNamesThrow() throws {
        #expect(Architectures.names.contains(Architectures.defaultName))
        for n in Architectures.names { #expect(try Architectures.spec(named: n).name == n) }
        #expect(throws: ModelSpecError.unknownArchitecture("vgg99", known: Architectures.names)) { try Architectures.spec(named: "vgg99") }
    }

    @Test func seed4HasTheSeedsParameterCount() throws {
        // conv 320 + 18,496 + 73,856 + 295,168; bn 2*(32+64+128+256); fc1 2304*128+128; fc2 128*7+7
        let net = try Network(architecture: "seed4", seed: 1)
        #expect(net.parameterCount == 684_743)
        #expect(try Architectures.seed4.shapes().last == [7])
    }

    @Test func ferVGGShapesAndFlops() throws {
        let spec = try Architectures.spec(named: "fer-vgg")
        let shapes = try spec.shapes()
        #expect(shapes.last == [7])
        #expect(shapes.contains([256, 3, 3]))
        // Parameters: convs 1,909,344 + bn 2*1,344 + bn11 512 + fc1 590,080 + fc2 1,799.
        // Multiply-adds of the convs and dense layers, counted from the spec.
        var shape = spec.input, macs = 0
        for (l, s) in zip(spec.layers, shapes) {
            if case .conv2d(_, let out, let k, _, _) = l { macs += out * s[1] * s[2] * shape[0] * k * k }
            if case .dense(_, let out) = l { macs += out * shape[0] }
            shape = s
        }
        #expect(abs(Double(2 * macs) / 1e9 - 0.32) < 0.01)
        #expect(try Network(spec: spec, seed: 1).parameterCount == 2_504_423)
    }

    @Test func ferVGGHalfHasHalfTheChannelsOfFerVGG() throws {
        let full = try Architectures.spec(named: "fer-vgg"), half = try Architectures.spec(named: "fer-vgg-half")
        #expect(full.layers.count == half.layers.count)
        for (f, h) in zip(full.layers, half.layers) {
            switch (f, h) {
            case let (.conv2d(n1, o1, k1, s1, p1), .conv2d(n2, o2, k2, s2, p2)):
                #expect(n1 == n2 && o2 * 2 == o1 && k1 == k2 && s1 == s2 && p1 == p2)
            case let (.dense(n1, o1), .dense(n2, o2)):
                #expect(n1 == n2 && (o1 == 7 ? o2 == 7 : o2 * 2 == o1))
            default:
                #expect(f == h)
            }
        }
        #expect(try half.shapes().last == [7] && (try half.shapes()).contains([128, 3, 3]))
        // convs 477,744 + bn 2*672 + bn11 256 + fc1 1152*128+128 + fc2 128*7+7
        #expect(try Network(spec: half, seed: 1).parameterCount == 627_831)
    }
}

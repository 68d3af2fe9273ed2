import Testing
@testable import FERTraining

@Suite struct AugmentationTests {
    /// A face with a distinct value per pixel pattern: (48, 48).
    static let face: [UInt8] = (0 ..< 2304).map { (i: Int) -> UInt8 in
        let v: Int = (i * 7 + (i / 48) * 13) % 256
        return UInt8(v)
    }

    @Test func flipTwiceIsIdentity() {
        let once = Augment.apply(AugmentParams(flip: true), Self.face[...])
        let twice = Augment.apply(AugmentParams(flip: true), once[...])
        #expect(once != Self.face)
        #expect(twice == Self.face)
        // Mirrored: the first pixel of each row is the last pixel of the source row.
        #expect(once[5 * 48] == Self.face[5 * 48 + 47])
    }

    @Test func identityParametersCopyExactly() {
        #expect(Augment.apply(.identity, Self.face[...]) == Self.face)
    }

    @Test func integerShiftMovesPixelsAndKeepsTheSize() {
        let shifted = Augment.apply(AugmentParams(dx: 3, dy: -2), Self.face[...])
        #expect(shifted.count == 48 * 48)
        // Output (x, y) comes from source (x - 3, y + 2).
        for (x, y) in [(10, 10), (40, 5), (3, 45)] {
            #expect(shifted[y * 48 + x] == Self.face[(y + 2) * 48 + (x - 3)])
        }
        // Edges replicate the border: column 0 takes source column 0.
        #expect(shifted[10 * 48 + 0] == Self.face[12 * 48 + 0])
    }

    @Test func randomAugmentationKeepsSizeAndRange() {
        var rng = SplitMix64(seed: 5)
        for _ in 0 ..< 50 {
            let p = AugmentParams.random(AugmentationConfig(), using: &rng)
            let out = Augment.apply(p, Self.face[...])
            #expect(out.count == 48 * 48)
            #expect(abs(p.dx) <= 4 && abs(p.dy) <= 4 && abs(p.degrees) <= 10 && abs(p.scale - 1) <= 0.1)
        }
    }

    @Test func sameSeedSameOutputOtherSeedOther() {
        func run(_ seed: UInt64) -> [UInt8] {
            var rng = SplitMix64(seed: seed)
            return Augment.apply(AugmentParams.random(AugmentationConfig(), using: &rng), Self.face[...])
        }
        #expect(run(42) == run(42))
        #expect(run(42) != run(43))
    }

    @Test func noneConfigDrawsIdentity() {
        var rng = SplitMix64(seed: 9)
        let p = AugmentParams.random(.none, using: &rng)
        #expect(p == .identity)
    }

    @Test func brightnessAndContrastAreClampedAroundTheMean() {
        let flat = [UInt8](repeating: 100, count: 2304)
        // Contrast alone leaves a flat image unchanged; brightness adds and clamps.
        #expect(Augment.apply(AugmentParams(contrast: 1.5), flat[...]) == flat)
        #expect(Augment.apply(AugmentParams(brightness: 30), flat[...]).allSatisfy { $0 == 130 })
        #expect(Augment.apply(AugmentParams(brightness: 300), flat[...]).allSatisfy { $0 == 255 })
    }

    @Test func rotationByNinetyDegreesMapsCornersAround() {
        // A single bright pixel at the top-left region moves to another quadrant.
        var img = [UInt8](repeating: 0, count: 2304)
        for y in 2 ..< 6 { for x in 2 ..< 6 { img[y * 48 + x] = 255 } }
        let r = Augment.apply(AugmentParams(degrees: 90), img[...])
        #expect(r[3 * 48 + 3] == 0)
        let bright = r.enumerated().filter { $0.element > 128 }.map { ($0.offset % 48, $0.offset / 48) }
        #expect(!bright.isEmpty)
        // Positive degrees turn clockwise on screen (y down): top-left goes to top-right.
        #expect(bright.allSatisfy { $0.0 > 38 && $0.1 < 10 })
    }
}

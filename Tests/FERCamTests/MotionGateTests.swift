// MotionGate: temporal noise like a real sensor's (mean absolute difference
// between frames about 4 grey levels) and a slow brightness ramp give no
// motion; a moving square does, in the right place; a light switched on
// (the whole frame at once) is not motion either.
import Foundation
import Testing
@testable import FERCam
import FERVision

/// A deterministic textured scene with per-frame noise, an offset and an optional square.
private struct Scene {
    var width = 640, height = 480
    private var rng: UInt64

    init(seed: UInt64) { rng = seed }

    private mutating func next() -> UInt64 {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        return rng >> 33
    }

    /// Texture (fixed), plus uniform noise in ±noise, plus `offset`, plus a bright square.
    mutating func frame(noise: Int, offset: Int = 0, square: Box? = nil) -> GrayImage {
        var px = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var v = 60 + (x * 7 + y * 3) % 90 + offset    // a still, textured background
                if let s = square, x >= s.x, x < s.maxX, y >= s.y, y < s.maxY { v = 230 }
                if noise > 0 { v += Int(next() % UInt64(2 * noise + 1)) - noise }
                px[y * width + x] = UInt8(clamping: v)
            }
        }
        return GrayImage(width: width, height: height, fill: 0).with(pixels: px)
    }
}

private extension GrayImage {
    func with(pixels: [UInt8]) -> GrayImage {
        var g = self
        g.pixels = pixels
        return g
    }
}

@Suite struct MotionGateTests {
    @Test func sensorNoiseIsNotMotion() {
        var scene = Scene(seed: 1)
        let gate = MotionGate()
        // Uniform noise in ±6: the mean absolute difference of two frames is 2·6/3 = 4 grey levels.
        let a = scene.frame(noise: 6), b = scene.frame(noise: 6)
        let mad = zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
        #expect(abs(mad - 4) < 0.5, "the noise is sensor-like: mean absolute frame difference \(mad)")
        var moving = 0
        for _ in 0..<60 where !gate.update(scene.frame(noise: 6)).isEmpty { moving += 1 }
        #expect(moving == 0, "\(moving) of 60 noisy still frames reported motion")
    }

    @Test func aSlowBrightnessRampIsNotMotion() {
        var scene = Scene(seed: 2)
        let gate = MotionGate()
        var moving = 0
        for i in 0..<100 where !gate.update(scene.frame(noise: 4, offset: i / 2)).isEmpty { moving += 1 }   // +50 levels over 100 frames
        #expect(moving == 0, "\(moving) of 100 frames of a slow ramp reported motion")
    }

    @Test func aLightSwitchedOnIsNotMotion() {
        var scene = Scene(seed: 3)
        let gate = MotionGate()
        _ = gate.update(scene.frame(noise: 4))
        _ = gate.update(scene.frame(noise: 4))
        #expect(gate.update(scene.frame(noise: 4, offset: 40)).isEmpty, "the whole frame 40 levels brighter at once")
    }

    @Test func aMovingSquareIsMotionWhereItIs() {
        var scene = Scene(seed: 4)
        let gate = MotionGate()
        for _ in 0..<5 { _ = gate.update(scene.frame(noise: 6)) }
        for step in 0..<20 {
            let square = Box(x: 100 + 8 * step, y: 200, width: 48, height: 48)
            let regions = gate.update(scene.frame(noise: 6, square: square))
            #expect(!regions.isEmpty, "step \(step): the moving square was not seen")
            #expect(regions.contains { $0.intersection(square).area == square.area },
                    "step \(step): no region holds the whole square \(square): \(regions)")
            // Only around the square: nothing far away.
            #expect(regions.allSatisfy { $0.intersection(square.expanded(by: 1.5)).area > 0 },
                    "step \(step): motion reported away from the square: \(regions)")
            #expect(regions.allSatisfy { $0.clamped(to: 640, height: 480) == $0 })
        }
    }

    /// What a moving object left is not motion a few passes later: a square that crossed
    /// the frame and went leaves no trail behind it (a slowly adapting background kept one
    /// for dozens of frames).
    @Test func aMovingSquareLeavesNoTrail() {
        var scene = Scene(seed: 7)
        let gate = MotionGate()
        for _ in 0..<5 { _ = gate.update(scene.frame(noise: 6)) }
        var square = Box(x: 40, y: 200, width: 48, height: 48)
        for step in 0..<40 {
            square = Box(x: 40 + 12 * step, y: 200, width: 48, height: 48)
            let regions = gate.update(scene.frame(noise: 6, square: square))
            guard step >= 10 else { continue }
            // Behind the square: only the last `lag` passes' worth of its path (12 px each) and a block.
            let trail = square.x - (gate.config.lag * 12 + 3 * gate.config.blockSize)
            #expect(regions.allSatisfy { $0.x >= trail }, "step \(step): motion far behind the square at \(square): \(regions)")
        }
        for _ in 0..<gate.config.lag { _ = gate.update(scene.frame(noise: 6)) }
        #expect(gate.update(scene.frame(noise: 6)).isEmpty, "the square is gone: nothing moves")
    }

    /// moved(in:) says whether the last update changed anything around a box, explained
    /// motion included, and does not know before the first comparison.
    @Test func movedInABoxSeesExplainedMotionToo() {
        var scene = Scene(seed: 8)
        let gate = MotionGate()
        let face = Box(x: 200, y: 200, width: 64, height: 64), far = Box(x: 480, y: 60, width: 64, height: 64)
        _ = gate.update(scene.frame(noise: 4))
        #expect(gate.moved(in: face), "no comparison yet: it cannot tell, so it must not say still")
        for _ in 0..<5 { _ = gate.update(scene.frame(noise: 4)) }
        #expect(!gate.moved(in: face) && !gate.moved(in: far), "sensor noise moved nothing")
        _ = gate.update(scene.frame(noise: 4, square: Box(x: 216, y: 216, width: 32, height: 32)), explained: [face.expanded(by: 1)])
        #expect(gate.moved(in: face), "a change inside the face's box, explained or not")
        #expect(!gate.moved(in: far), "nothing changed far away")
    }

    /// Motion inside an explained area (a followed face and its body) is not reported; motion
    /// elsewhere still is, and the changed fraction (scene cuts) counts both.
    @Test func explainedMotionIsLeftOut() {
        var scene = Scene(seed: 6)
        let gate = MotionGate()
        for _ in 0..<5 { _ = gate.update(scene.frame(noise: 6)) }
        let square = Box(x: 200, y: 200, width: 48, height: 48)
        let around = square.expanded(by: 1)
        let hidden = gate.update(scene.frame(noise: 6, square: square), explained: [around])
        #expect(hidden.isEmpty, "motion inside the explained area was reported: \(hidden)")
        #expect(gate.changedFraction > 0, "the changed fraction counts explained motion")
        let elsewhere = Box(x: 500, y: 100, width: 48, height: 48)
        let seen = gate.update(scene.frame(noise: 6, square: elsewhere), explained: [around])
        #expect(seen.contains { $0.intersection(elsewhere).area == elsewhere.area }, "motion outside was lost: \(seen)")
    }

    @Test func aNewFrameSizeResetsTheBackground() {
        var scene = Scene(seed: 5)
        let gate = MotionGate()
        _ = gate.update(scene.frame(noise: 2))
        scene.width = 320
        scene.height = 240
        #expect(gate.update(scene.frame(noise: 2, square: Box(x: 10, y: 10, width: 50, height: 50))).isEmpty)
        #expect(gate.update(scene.frame(noise: 2, square: Box(x: 10, y: 10, width: 50, height: 50))).isEmpty,
                "a still square after the reset is background")
    }
}

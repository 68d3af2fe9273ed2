// FacePreprocessor: output shape and range, the margin padded with edge
// pixels at frame borders (worked by hand), normalize == preprocess of a
// 48×48 full-frame box, and the crop path agreeing with GrayImage's crop.

import FERNet
import Testing
@testable import FERVision

@Suite struct FacePreprocessorTests {
    let unit = InputNormalization(scale: 1.0 / 255.0, mean: 0, std: 1)
    let symmetric = InputNormalization(scale: 1.0 / 255.0, mean: 0.5, std: 0.5)

    /// Deterministic pseudo-random gray image.
    func noise(_ w: Int, _ h: Int, seed: UInt64 = 42) -> GrayImage {
        var state = seed
        var img = GrayImage(width: w, height: h)
        for i in 0..<(w * h) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            img.pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return img
    }

    @Test func shapeAndRange() throws {
        let gray = try ImageCodec.decodeGray(path: try TestPaths.media("sad.jpg"))
        let box = Box(x: 121, y: 39, width: 160, height: 160)
        let a = FacePreprocessor(normalization: unit).preprocess(gray: gray, box: box)
        #expect(a.count == 48 * 48 && FacePreprocessor.fer2013Side == 48)
        #expect(a.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(a.max()! - a.min()! > 0.3)  // a real face has contrast
        let b = FacePreprocessor(normalization: symmetric, equalize: true).preprocess(gray: gray, box: box)
        #expect(b.allSatisfy { $0 >= -1 && $0 <= 1 })
        #expect(b.min()! == -1 && b.max()! == 1)  // equalization spans the full range
    }

    @Test func marginPastTheFrameRepeatsEdgePixels() {
        // 100×100 frame: column 0 is 200, all else 50. Box (0,0,48,48) with
        // margin 0.5 → region (-24,-24,96,96). Region columns 0…24 read frame
        // column 0 (200), columns 25… read 50. INTER_AREA 96→48 averages
        // column pairs: output columns 0…11 = 200, 12 = (200+50)/2 = 125, 13… = 50.
        var frame = GrayImage(width: 100, height: 100, fill: 50)
        for y in 0..<100 { frame[0, y] = 200 }
        let p = FacePreprocessor(normalization: unit, margin: 0.5)
        let face = p.face(gray: frame, box: Box(x: 0, y: 0, width: 48, height: 48))
        for y in 0..<48 {
            for x in 0..<48 {
                let want: UInt8 = x < 12 ? 200 : (x == 12 ? 125 : 50)
                if face[y * 48 + x] != want {
                    Issue.record("face[\(x), \(y)] = \(face[y * 48 + x]), expected \(want)")
                    return
                }
            }
        }
        let out = p.preprocess(gray: frame, box: Box(x: 0, y: 0, width: 48, height: 48))
        #expect(out[0] == unit.apply(200) && out[47] == unit.apply(50))
    }

    @Test func marginAtBottomRightEdge() {
        // The far corner: the last row (y 99) is 10, the rest 90. Box
        // (52,52,48,48) with margin 0.5 → region (28,28,96,96): region rows
        // 0…70 read frame rows 28…98 (90), rows 71…95 read row 99 (10).
        // Output row k averages region rows 2k and 2k+1: rows 0…34 = 90,
        // row 35 = (90+10)/2 = 50, rows 36…47 = 10.
        var frame = GrayImage(width: 100, height: 100, fill: 90)
        for x in 0..<100 { frame[x, 99] = 10 }
        let p = FacePreprocessor(normalization: unit, margin: 0.5)
        let face = p.face(gray: frame, box: Box(x: 52, y: 52, width: 48, height: 48))
        var wrong: [String] = []
        for y in 0..<48 {
            let want: UInt8 = y < 35 ? 90 : (y == 35 ? 50 : 10)
            for x in 0..<48 where face[y * 48 + x] != want { wrong.append("[\(x),\(y)]=\(face[y * 48 + x]) want \(want)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test func normalizeEqualsPreprocessOfFullFrame() {
        let img = noise(48, 48)
        for p in [FacePreprocessor(normalization: unit),
                  FacePreprocessor(normalization: symmetric, equalize: true),
                  FacePreprocessor(normalization: InputNormalization(scale: 1, mean: 127.5, std: 64), equalize: false)] {
            let viaBox = p.preprocess(gray: img, box: Box(x: 0, y: 0, width: 48, height: 48))
            var viaRow = [Float](repeating: .nan, count: 48 * 48)
            img.pixels.withUnsafeBufferPointer { px in
                viaRow.withUnsafeMutableBufferPointer { p.normalize(px.baseAddress!, into: $0.baseAddress!) }
            }
            #expect(viaBox == viaRow, "equalize \(p.equalize)")
            #expect(viaRow[5] == p.normalization.apply(p.equalize ? img.equalized().pixels[5] : img.pixels[5]))
        }
    }

    @Test func insideFrameMatchesCropThenResize() throws {
        let img = noise(200, 150, seed: 7)
        let box = Box(x: 30, y: 20, width: 96, height: 96)
        let p = FacePreprocessor(normalization: unit, margin: 0.1)
        let region = box.expanded(by: 0.1)
        let expected = try img.crop(region).resized(width: 48, height: 48)
        #expect(p.face(gray: img, box: box) == expected.pixels)
        // The edge-padding copy agrees with a plain crop when the region is inside.
        var padded = [UInt8](repeating: 0, count: region.width * region.height)
        img.pixels.withUnsafeBufferPointer {
            FacePreprocessor.copyReplicatingEdges($0.baseAddress!, 200, 150, region, into: &padded)
        }
        #expect(padded == (try img.crop(region)).pixels)
    }

    @Test func writesIntoASlotOfABatch() {
        let img = noise(64, 64, seed: 3)
        let p = FacePreprocessor(normalization: unit)
        var batch = [Float](repeating: -7, count: 3 * 48 * 48)  // (3, 1, 48, 48)
        batch.withUnsafeMutableBufferPointer {
            p.preprocess(gray: img, box: Box(x: 8, y: 8, width: 48, height: 48), into: $0.baseAddress! + 48 * 48)
        }
        #expect(batch[0..<(48 * 48)].allSatisfy { $0 == -7 })
        #expect(batch[(2 * 48 * 48)...].allSatisfy { $0 == -7 })
        #expect(Array(batch[(48 * 48)..<(2 * 48 * 48)]) == p.preprocess(gray: img, box: Box(x: 8, y: 8, width: 48, height: 48)))
    }

    @Test(arguments: [40, 64])
    func otherSidesCropAndResizeToThatSide(side: Int) throws {
        let img = noise(200, 150, seed: 11)
        let box = Box(x: 30, y: 20, width: 96, height: 96)
        let p = FacePreprocessor(normalization: unit, side: side, margin: 0.1)
        let expected = try img.crop(box.expanded(by: 0.1)).resized(width: side, height: side)
        #expect(p.face(gray: img, box: box) == expected.pixels)
        // Into a batch slot of that side, nothing written outside it.
        var batch = [Float](repeating: -7, count: 3 * side * side)  // (3, 1, side, side)
        batch.withUnsafeMutableBufferPointer { p.preprocess(gray: img, box: box, into: $0.baseAddress! + side * side) }
        #expect(batch[0..<(side * side)].allSatisfy { $0 == -7 })
        #expect(batch[(2 * side * side)...].allSatisfy { $0 == -7 })
        #expect(Array(batch[(side * side)..<(2 * side * side)]) == expected.pixels.map { unit.apply($0) })
    }
}

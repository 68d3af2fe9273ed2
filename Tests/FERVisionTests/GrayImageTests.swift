// GrayImage: size checks, resize (INTER_AREA averages when shrinking),
// histogram equalization and crop, each on small images worked by hand.

import Testing
@testable import FERVision

@Suite struct GrayImageTests {
    @Test func sizeMustMatchPixels() {
        #expect(throws: VisionError.self) { try GrayImage(width: 2, height: 2, pixels: [1, 2, 3]) }
        #expect(throws: VisionError.self) { try GrayImage(width: 0, height: 2, pixels: []) }
        do {
            _ = try GrayImage(width: 3, height: 2, pixels: [1, 2])
        } catch {
            #expect(error.description.contains("3x2") && error.description.contains("expected 6"))
        }
    }

    @Test func subscriptIsRowMajor() throws {
        var g = try GrayImage(width: 3, height: 2, pixels: [0, 1, 2, 3, 4, 5])
        #expect(g[2, 0] == 2 && g[0, 1] == 3 && g.stride == 3)
        g[1, 1] = 99
        #expect(g.pixels[4] == 99)
    }

    @Test func shrinkAveragesBlocks() throws {
        // 4×2 → 2×1 with INTER_AREA: each output pixel is the mean of a 2×2 block.
        let g = try GrayImage(width: 4, height: 2, pixels: [0, 100, 200, 200,
                                                            100, 200, 40, 40])
        let r = g.resized(width: 2, height: 1)
        #expect(r.width == 2 && r.height == 1)
        #expect(r.pixels == [100, 120])
    }

    @Test func enlargeKeepsUniformImageUniform() {
        let r = GrayImage(width: 3, height: 3, fill: 77).resized(width: 10, height: 7)
        #expect(r.width == 10 && r.height == 7 && r.pixels.allSatisfy { $0 == 77 })
    }

    @Test func equalizeStretchesTwoLevels() throws {
        // Two grey levels, half each: equalizeHist maps them to 0 and 255.
        let g = try GrayImage(width: 4, height: 1, pixels: [100, 100, 110, 110])
        #expect(g.equalized().pixels == [0, 0, 255, 255])
    }

    @Test func cropCopiesTheBoxAndClamps() throws {
        let g = try GrayImage(width: 4, height: 3, pixels: Array(0..<12))
        #expect(try g.crop(Box(x: 1, y: 1, width: 2, height: 2)).pixels == [5, 6, 9, 10])
        let clamped = try g.crop(Box(x: 2, y: -1, width: 5, height: 2))
        #expect(clamped.width == 2 && clamped.height == 1 && clamped.pixels == [2, 3])
        #expect(throws: VisionError.self) { try g.crop(Box(x: 10, y: 0, width: 2, height: 2)) }
    }

    @Test func toBGRReplicatesGray() throws {
        let g = try GrayImage(width: 2, height: 1, pixels: [7, 200])
        let c = g.bgr()
        #expect(c.pixels == [7, 7, 7, 200, 200, 200])
        #expect(c.gray() == g)
    }
}

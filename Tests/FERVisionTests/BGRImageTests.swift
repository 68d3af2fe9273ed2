// BGRImage: size checks, fill, pixel access and the BGR → gray conversion
// OpenCV uses (0.299 R + 0.587 G + 0.114 B), checked on pure colours.

import Testing
@testable import FERVision

@Suite struct BGRImageTests {
    @Test func sizeMustMatchBytes() {
        #expect(throws: VisionError.self) { try BGRImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 11)) }
        #expect(throws: VisionError.self) { try BGRImage(width: 2, height: -1, pixels: []) }
    }

    @Test func fillAndSubscript() {
        var img = BGRImage(width: 3, height: 2, color: BGR(b: 1, g: 2, r: 3))
        #expect(img.stride == 9 && img.pixels.count == 18)
        #expect(img[2, 1] == BGR(b: 1, g: 2, r: 3))
        img[1, 0] = .red
        #expect(Array(img.pixels[3..<6]) == [0, 0, 255])
    }

    @Test func grayOfPureColours() throws {
        let img = try BGRImage(width: 4, height: 1, pixels: [255, 0, 0,   0, 255, 0,   0, 0, 255,   255, 255, 255])
        // 0.114·255 = 29.07, 0.587·255 = 149.7, 0.299·255 = 76.2.
        #expect(img.gray().pixels == [29, 150, 76, 255])
    }

    @Test func resizeShrinksByAveraging() throws {
        let img = try BGRImage(width: 2, height: 1, pixels: [0, 10, 100,  20, 30, 200])
        #expect(img.resized(width: 1, height: 1).pixels == [10, 20, 150])
    }
}

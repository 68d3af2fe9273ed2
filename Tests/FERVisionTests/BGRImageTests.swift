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

    @Test func cropAndPaste() throws {
        var canvas = BGRImage(width: 6, height: 4)
        let tile = BGRImage(width: 3, height: 2, color: .red)
        canvas.paste(tile, x: 4, y: -1)  // only columns 4, 5 of row 0 land
        for y in 0..<4 {
            for x in 0..<6 {
                #expect(canvas[x, y] == ((x >= 4 && y == 0) ? .red : .black), "pixel \(x),\(y)")
            }
        }
        let piece = try canvas.crop(Box(x: 3, y: 0, width: 2, height: 2))
        #expect(piece.width == 2 && piece.height == 2)
        #expect(piece[0, 0] == .black && piece[1, 0] == .red && piece[1, 1] == .black)
        #expect(throws: VisionError.self) { try canvas.crop(Box(x: 6, y: 0, width: 1, height: 1)) }
        canvas.paste(tile, x: 10, y: 10)  // entirely outside: no change
        #expect(canvas.pixels.filter { $0 != 0 }.count == 2)
    }
}


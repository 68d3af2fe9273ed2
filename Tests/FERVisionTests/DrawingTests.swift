// Drawing on small images: rectangles and lines change exactly the pixels
// expected; text with a background stays inside the area it reports.

import Testing
@testable import FERVision

@Suite struct DrawingTests {
    /// Coordinates of pixels that are not black.
    func painted(_ img: BGRImage) -> Set<[Int]> {
        var s = Set<[Int]>()
        for y in 0..<img.height {
            for x in 0..<img.width where img[x, y] != .black { s.insert([x, y]) }
        }
        return s
    }

    @Test func rectangleOutlineIsThePerimeterOfTheBox() {
        var img = BGRImage(width: 10, height: 8)
        Drawing.rectangle(&img, Box(x: 2, y: 1, width: 5, height: 4), color: .red, thickness: 1)
        var expected = Set<[Int]>()
        for x in 2...6 { for y in 1...4 where x == 2 || x == 6 || y == 1 || y == 4 { expected.insert([x, y]) } }
        #expect(painted(img) == expected)
        for p in expected { #expect(img[p[0], p[1]] == .red) }
    }

    @Test func filledRectangleCoversTheBoxOnly() {
        var img = BGRImage(width: 10, height: 8)
        Drawing.fillRectangle(&img, Box(x: 7, y: 5, width: 6, height: 6), color: .blue)  // leaves the image
        var expected = Set<[Int]>()
        for x in 7..<10 { for y in 5..<8 { expected.insert([x, y]) } }
        #expect(painted(img) == expected)
        #expect(img[9, 7] == .blue)
    }

    @Test func emptyBoxDrawsNothing() {
        var img = BGRImage(width: 6, height: 6)
        Drawing.fillRectangle(&img, Box(x: 1, y: 1, width: 0, height: 3), color: .white)
        Drawing.rectangle(&img, Box(x: 1, y: 1, width: 3, height: -1), color: .white)
        #expect(painted(img).isEmpty)
    }

    @Test func linesIncludeBothEnds() {
        var img = BGRImage(width: 10, height: 8)
        Drawing.line(&img, x0: 1, y0: 6, x1: 8, y1: 6, color: .green)
        Drawing.line(&img, x0: 0, y0: 0, x1: 3, y1: 3, color: .green)
        var expected = Set<[Int]>((1...8).map { [$0, 6] })
        for i in 0...3 { expected.insert([i, i]) }
        #expect(painted(img) == expected)
    }

    @Test func textWithBackgroundStaysInItsArea() {
        var img = BGRImage(width: 120, height: 40)
        let area = Drawing.text(&img, "happy 0.93", x: 4, y: 5, color: .white, scale: 0.4, background: .gray)
        let size = Drawing.textSize("happy 0.93", scale: 0.4)
        #expect(size.width > 30 && size.height > 5)
        #expect(area == Box(x: 4, y: 5, width: size.width + 6, height: size.height + size.baseline + 6))
        for p in painted(img) { #expect(area.intersection(Box(x: p[0], y: p[1], width: 1, height: 1)).area == 1) }
        #expect(img[area.x, area.y] == .gray && img[area.maxX - 1, area.maxY - 1] == .gray)
        // Some glyph pixels are bright.
        let bright = painted(img).filter { img[$0[0], $0[1]].g > 200 }
        #expect(bright.count > 20)
    }

    @Test func textWithoutBackgroundOnlyTouchesGlyphs() {
        var img = BGRImage(width: 60, height: 30)
        let area = Drawing.text(&img, "fps 30", x: 0, y: 0, color: .white, scale: 0.4)
        let touched = painted(img)
        #expect(!touched.isEmpty && touched.count < area.area / 2)
    }

    @Test func filledCircleCentredWhereAsked() {
        var img = BGRImage(width: 20, height: 20)
        Drawing.circle(&img, centerX: 10, centerY: 10, radius: 3, color: .yellow, filled: true)
        #expect(img[10, 10] == .yellow && img[10, 8] == .yellow)
        for p in painted(img) { #expect(abs(p[0] - 10) <= 4 && abs(p[1] - 10) <= 4) }
    }
}

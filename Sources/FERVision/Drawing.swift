// Drawing: OpenCV primitives on an inout BGRImage (rectangles, lines,
// circles, text with an optional background). Enough for boxes, labels,
// probability bars, an fps line and simple plots; the layouts of those are
// built by their callers.

import COpenCV

/// Size of a text line as drawn by `Drawing.text`.
public struct TextSize: Hashable, Sendable {
    public var width: Int
    /// Height above the baseline.
    public var height: Int
    /// Depth below the baseline.
    public var baseline: Int
}

public enum Drawing {
    /// Outline of `box` (pixels box.x ..< box.maxX, box.y ..< box.maxY);
    /// lines thicker than 1 grow around that outline.
    public static func rectangle(_ image: inout BGRImage, _ box: Box, color: BGR, thickness: Int = 2) {
        draw(&image, "draw rectangle \(box)") { p, w, h, s in
            fc_draw_rectangle(p, w, h, s, Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height),
                              color.b, color.g, color.r, Int32(max(1, thickness)))
        }
    }

    /// `box` filled with `color` (parts outside the image are ignored).
    public static func fillRectangle(_ image: inout BGRImage, _ box: Box, color: BGR) {
        draw(&image, "fill rectangle \(box)") { p, w, h, s in
            fc_draw_rectangle(p, w, h, s, Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height),
                              color.b, color.g, color.r, -1)
        }
    }

    /// Straight line from (x0, y0) to (x1, y1), both ends included.
    public static func line(_ image: inout BGRImage, x0: Int, y0: Int, x1: Int, y1: Int,
                            color: BGR, thickness: Int = 1) {
        draw(&image, "draw line") { p, w, h, s in
            fc_draw_line(p, w, h, s, Int32(x0), Int32(y0), Int32(x1), Int32(y1),
                         color.b, color.g, color.r, Int32(max(1, thickness)))
        }
    }

    /// Circle (anti-aliased); `filled` fills it (e.g. plot markers).
    public static func circle(_ image: inout BGRImage, centerX: Int, centerY: Int, radius: Int,
                              color: BGR, thickness: Int = 1, filled: Bool = false) {
        draw(&image, "draw circle") { p, w, h, s in
            fc_draw_circle(p, w, h, s, Int32(centerX), Int32(centerY), Int32(radius),
                           color.b, color.g, color.r, filled ? -1 : Int32(max(1, thickness)), 1)
        }
    }

    /// Size of `text` in OpenCV's Hershey simplex font at `scale`.
    public static func textSize(_ text: String, scale: Double = 0.5, thickness: Int = 1) -> TextSize {
        var w: Int32 = 0, h: Int32 = 0, b: Int32 = 0
        Shim.mustSucceed(fc_text_size(text, scale, Int32(max(1, thickness)), &w, &h, &b), "measure text")
        return TextSize(width: Int(w), height: Int(h), baseline: Int(b))
    }

    /// Draws `text` with the top-left corner of its padded box at (x, y),
    /// over a filled `background` when given. Returns the box it covers.
    /// The font has ASCII glyphs only (others show as '?').
    @discardableResult
    public static func text(_ image: inout BGRImage, _ text: String, x: Int, y: Int, color: BGR,
                            scale: Double = 0.5, thickness: Int = 1, background: BGR? = nil,
                            padding: Int = 3) -> Box {
        let size = textSize(text, scale: scale, thickness: thickness)
        let area = Box(x: x, y: y, width: size.width + 2 * padding,
                       height: size.height + size.baseline + 2 * padding)
        if let background { fillRectangle(&image, area, color: background) }
        draw(&image, "draw text") { p, w, h, s in
            fc_draw_text(p, w, h, s, text, Int32(x + padding), Int32(y + padding + size.height), scale,
                         color.b, color.g, color.r, Int32(max(1, thickness)))
        }
        return area
    }

    /// Runs a shim drawing call on the image's buffer. The image's size is
    /// read before the buffer is borrowed (Swift exclusivity).
    private static func draw(_ image: inout BGRImage, _ operation: String,
                             _ call: (UnsafeMutablePointer<UInt8>, Int32, Int32, Int32) -> fc_status) {
        let (w, h) = (Int32(image.width), Int32(image.height))
        let status = image.pixels.withUnsafeMutableBufferPointer { call($0.baseAddress!, w, h, w * 3) }
        Shim.mustSucceed(status, operation)
    }
}

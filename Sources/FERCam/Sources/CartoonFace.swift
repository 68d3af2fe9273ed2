// Paints a simple cartoon face into a BGR buffer: skin oval, hair, brows,
// eyes, nose shadow and a mouth whose shape follows an "expression" (smile,
// frown, open). Shapes are soft-edged ellipses so the Haar cascade sees the
// light/dark pattern of a real frontal face (dark brows and eyes over lighter
// cheeks, a lighter nose bridge between the eyes). Pure pixel painting: no
// detection, no animation (SyntheticSource moves the faces).
import Foundation

struct CartoonFace: Sendable {
    enum Expression: Int, CaseIterable, Sendable { case neutral, smile, frown, open }

    var centerX: Double
    var centerY: Double
    /// Face height in pixels (the oval is about 0.8 × size wide).
    var size: Double
    var expression: Expression
    /// Skin colour (B, G, R).
    var skin: (Double, Double, Double) = (150, 175, 215)

    /// The box a detector is expected to return, roughly (for tests).
    var expectedBox: (x: Int, y: Int, width: Int, height: Int) {
        let w = size * 0.8
        return (Int(centerX - w / 2), Int(centerY - size * 0.45), Int(w), Int(size * 0.9))
    }

    /// Paints onto `bgr` (height, width, 3).
    func paint(_ bgr: UnsafeMutablePointer<UInt8>, width: Int, height: Int) {
        let s = size
        let cx = centerX, cy = centerY
        var layers: [Ellipse] = []
        // Hair cap behind the top of the face, then the face oval.
        layers.append(Ellipse(cx: cx, cy: cy - 0.12 * s, rx: 0.46 * s, ry: 0.46 * s, color: (30, 40, 60)))
        layers.append(Ellipse(cx: cx, cy: cy + 0.04 * s, rx: 0.40 * s, ry: 0.50 * s, color: skin))
        // Ears.
        for side in [-1.0, 1.0] {
            layers.append(Ellipse(cx: cx + side * 0.40 * s, cy: cy + 0.02 * s, rx: 0.06 * s, ry: 0.11 * s, color: darker(skin, 0.9)))
        }
        // Brows, eye sockets (soft shadow), eyes with pupils.
        for side in [-1.0, 1.0] {
            let ex = cx + side * 0.17 * s
            layers.append(Ellipse(cx: ex, cy: cy - 0.19 * s, rx: 0.11 * s, ry: 0.028 * s, color: (35, 45, 60)))
            layers.append(Ellipse(cx: ex, cy: cy - 0.09 * s, rx: 0.12 * s, ry: 0.07 * s, color: darker(skin, 0.75)))
            layers.append(Ellipse(cx: ex, cy: cy - 0.09 * s, rx: 0.085 * s, ry: 0.042 * s, color: (225, 230, 235)))
            layers.append(Ellipse(cx: ex, cy: cy - 0.09 * s, rx: 0.038 * s, ry: 0.038 * s, color: (40, 30, 25)))
        }
        // Nose: a light bridge and a darker tip shadow.
        layers.append(Ellipse(cx: cx, cy: cy - 0.02 * s, rx: 0.045 * s, ry: 0.12 * s, color: lighter(skin, 1.08)))
        layers.append(Ellipse(cx: cx, cy: cy + 0.11 * s, rx: 0.07 * s, ry: 0.03 * s, color: darker(skin, 0.7)))
        // Mouth by expression.
        let my = cy + 0.27 * s
        switch expression {
        case .neutral:
            layers.append(Ellipse(cx: cx, cy: my, rx: 0.15 * s, ry: 0.025 * s, color: (60, 60, 140)))
        case .smile:
            layers.append(Ellipse(cx: cx, cy: my, rx: 0.17 * s, ry: 0.075 * s, color: (50, 40, 130)))
            layers.append(Ellipse(cx: cx, cy: my - 0.045 * s, rx: 0.19 * s, ry: 0.06 * s, color: skin))
        case .frown:
            layers.append(Ellipse(cx: cx, cy: my + 0.02 * s, rx: 0.15 * s, ry: 0.06 * s, color: (60, 60, 140)))
            layers.append(Ellipse(cx: cx, cy: my + 0.06 * s, rx: 0.17 * s, ry: 0.06 * s, color: skin))
        case .open:
            layers.append(Ellipse(cx: cx, cy: my, rx: 0.08 * s, ry: 0.08 * s, color: (40, 30, 90)))
        }
        for e in layers { e.paint(bgr, width: width, height: height) }
    }

    private func darker(_ c: (Double, Double, Double), _ f: Double) -> (Double, Double, Double) { (c.0 * f, c.1 * f, c.2 * f) }
    private func lighter(_ c: (Double, Double, Double), _ f: Double) -> (Double, Double, Double) {
        (min(255, c.0 * f), min(255, c.1 * f), min(255, c.2 * f))
    }
}

/// A filled ellipse with a soft (about 1.5 px) anti-aliased edge.
struct Ellipse: Sendable {
    var cx, cy, rx, ry: Double
    var color: (Double, Double, Double)

    func paint(_ bgr: UnsafeMutablePointer<UInt8>, width: Int, height: Int) {
        guard rx > 0.5, ry > 0.5 else { return }
        let x0 = max(0, Int(cx - rx - 2)), x1 = min(width - 1, Int(cx + rx + 2))
        let y0 = max(0, Int(cy - ry - 2)), y1 = min(height - 1, Int(cy + ry + 2))
        guard x0 <= x1, y0 <= y1 else { return }
        let r = min(rx, ry)
        for y in y0...y1 {
            let dy = (Double(y) + 0.5 - cy) / ry
            for x in x0...x1 {
                let dx = (Double(x) + 0.5 - cx) / rx
                // Approximate signed distance to the edge in pixels.
                let d = ((dx * dx + dy * dy).squareRoot() - 1) * r
                let a = max(0, min(1, 0.5 - d / 1.5))
                guard a > 0 else { continue }
                let p = bgr + (y * width + x) * 3
                p[0] = UInt8(Double(p[0]) * (1 - a) + color.0 * a)
                p[1] = UInt8(Double(p[1]) * (1 - a) + color.1 * a)
                p[2] = UInt8(Double(p[2]) * (1 - a) + color.2 * a)
            }
        }
    }
}

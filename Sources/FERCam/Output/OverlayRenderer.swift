// Draws the overlay for one processed frame onto a copy of its BGR image:
// per face a box in the emotion's colour, "#id emotion score" above it and
// seven probability bars beside it; the fps and dropped-frame count in the
// corner. Pure drawing (FERVision.Drawing); it shows nothing.
import FERNet
import FERVision

public struct OverlayRenderer: Sendable {
    public init() {}

    /// Colour per emotion, label order.
    public static let colors: [BGR] = [
        BGR(b: 40, g: 40, r: 230),    // angry
        BGR(b: 40, g: 160, r: 90),    // disgust
        BGR(b: 200, g: 80, r: 160),   // fear
        BGR(b: 40, g: 210, r: 250),   // happy
        BGR(b: 220, g: 120, r: 40),   // sad
        BGR(b: 230, g: 230, r: 40),   // surprise
        BGR(b: 200, g: 200, r: 200),  // neutral
    ]

    public func render(_ result: FrameResult, fps: Double?) -> BGRImage {
        var img = result.frame.bgr
        let (fw, fh) = (img.width, img.height)
        for face in result.faces {
            let color = Self.colors[face.emotion.rawValue]
            let box = face.box.clamped(to: fw, height: fh)
            Drawing.rectangle(&img, box, color: color, thickness: face.detectedNow ? 2 : 1)
            let label = "#\(face.id) \(face.emotion.name) \(Int((face.score * 100).rounded()))%"
            let size = Drawing.textSize(label, scale: 0.5, thickness: 1)
            let ty = box.y - size.height - size.baseline - 6 >= 0 ? box.y - size.height - size.baseline - 6 : box.maxY + 2
            Drawing.text(&img, label, x: box.x, y: ty, color: .black, scale: 0.5, thickness: 1, background: color)
            drawBars(&img, face: face, box: box)
        }
        var status = fps.map { String(format: "%.1f fps", $0) } ?? ""
        status += "  frame \(result.frame.index)  faces \(result.faces.count)"
        if result.droppedFrames > 0 { status += "  dropped \(result.droppedFrames)" }
        Drawing.text(&img, status, x: 4, y: 4, color: .white, scale: 0.5, thickness: 1, background: .black)
        return img
    }

    /// Seven bars (one per emotion) right of the box, or left when there is no room.
    private func drawBars(_ img: inout BGRImage, face: TrackedFace, box: Box) {
        let barMax = 60, rowH = 12, labelW = 58
        let panelW = labelW + barMax + 4
        var x = box.maxX + 6
        if x + panelW > img.width { x = max(0, box.x - panelW - 6) }
        let y0 = max(0, min(box.y, img.height - rowH * Emotion.count))
        Drawing.fillRectangle(&img, Box(x: x, y: y0, width: panelW, height: rowH * Emotion.count), color: BGR(b: 25, g: 25, r: 25))
        for e in Emotion.allCases {
            let p = e.rawValue < face.probabilities.count ? face.probabilities[e.rawValue] : 0
            let y = y0 + e.rawValue * rowH
            Drawing.text(&img, e.name, x: x, y: y - 2, color: .white, scale: 0.35, thickness: 1, padding: 1)
            let w = max(1, Int((Float(barMax) * max(0, min(1, p))).rounded()))
            Drawing.fillRectangle(&img, Box(x: x + labelW, y: y + 2, width: w, height: rowH - 4), color: Self.colors[e.rawValue])
        }
    }
}

// Draws the overlay for one processed frame onto a copy of its BGR image:
// per face a box in the emotion's colour, "#id emotion score" above it and
// seven probability bars under it; a thin white outline round each face just
// found and not yet confirmed; the fps and dropped-frame count in the corner.
// Pure drawing (FERVision.Drawing); it shows nothing.
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
        // Boxes and bars first, labels last so no panel hides a label.
        for box in result.newFaces {
            Drawing.rectangle(&img, box.clamped(to: fw, height: fh), color: .white, thickness: 1)
        }
        for face in result.faces {
            let box = face.box.clamped(to: fw, height: fh)
            Drawing.rectangle(&img, box, color: Self.colors[face.emotion.rawValue], thickness: face.detectedNow ? 2 : 1)
            drawBars(&img, face: face, box: box)
        }
        for face in result.faces {
            let box = face.box.clamped(to: fw, height: fh)
            let label = "#\(face.id) \(face.emotion.name) \(Int((face.score * 100).rounded()))%"
            let size = Drawing.textSize(label, scale: 0.5, thickness: 1)
            let h = size.height + size.baseline + 6
            let ty = box.y - h >= 0 ? box.y - h : box.y   // above the box, or inside its top edge
            Drawing.text(&img, label, x: box.x, y: ty, color: .black, scale: 0.5, thickness: 1, background: Self.colors[face.emotion.rawValue])
        }
        var status = fps.map { String(format: "%.1f fps", $0) } ?? ""
        status += "  frame \(result.frame.index)  faces \(result.faces.count)"
        if result.droppedFrames > 0 { status += "  dropped \(result.droppedFrames)" }
        Drawing.text(&img, status, x: 4, y: 4, color: .white, scale: 0.5, thickness: 1, background: .black)
        return img
    }

    /// Seven bars (one per emotion) under the box (chin and body matter
    /// least), or right of it when there is no room below.
    private func drawBars(_ img: inout BGRImage, face: TrackedFace, box: Box) {
        let rowH = 10, labelW = 52
        let panelW = max(box.width, labelW + 50), panelH = rowH * Emotion.count + 2
        let barMax = panelW - labelW - 4
        var x = min(box.x, img.width - panelW), y = box.maxY + 2
        if y + panelH > img.height {
            x = box.maxX + 4 + panelW <= img.width ? box.maxX + 4 : max(0, box.x - panelW - 4)
            y = max(0, min(box.y, img.height - panelH))
        }
        x = max(0, x)
        Drawing.fillRectangle(&img, Box(x: x, y: y, width: panelW, height: panelH), color: BGR(b: 25, g: 25, r: 25))
        for e in Emotion.allCases {
            let p = e.rawValue < face.probabilities.count ? face.probabilities[e.rawValue] : 0
            let ry = y + 1 + e.rawValue * rowH
            Drawing.text(&img, e.name, x: x, y: ry - 3, color: .white, scale: 0.3, thickness: 1, padding: 1)
            let w = max(1, Int((Float(barMax) * max(0, min(1, p))).rounded()))
            Drawing.fillRectangle(&img, Box(x: x + labelW, y: ry + 2, width: w, height: rowH - 3), color: Self.colors[e.rawValue])
        }
    }
}

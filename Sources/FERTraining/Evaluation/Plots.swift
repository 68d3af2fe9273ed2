// Report pictures drawn with FERVision's Drawing primitives: the confusion
// matrix as a heatmap (rows true, columns predicted, shaded by row fraction)
// and loss/accuracy curves from a training history. Layout only; the numbers
// come from ConfusionMatrix and TrainingHistory.
import FERNet
import FERVision
import Foundation

public enum Plots {
    static let ink = BGR(b: 40, g: 40, r: 40)
    static let gridColor = BGR(b: 225, g: 225, r: 225)
    static let trainColor = BGR(b: 200, g: 110, r: 30)   // blue
    static let valColor = BGR(b: 30, g: 120, r: 230)     // orange

    /// Heatmap of `counts[true][predicted]` with count and row percentage per cell.
    public static func confusion(_ counts: [[Int]], labels: [String] = Emotion.names, title: String) -> BGRImage {
        let k = counts.count, cell = 70, left = 100, top = 70, bottom = 60
        var img = BGRImage(width: left + k * cell + 30, height: top + k * cell + bottom, color: .white)
        Drawing.text(&img, title, x: 10, y: 8, color: ink, scale: 0.55)
        Drawing.text(&img, "predicted", x: left + k * cell / 2 - 40, y: 34, color: ink, scale: 0.45)
        for r in 0 ..< k {
            let total = max(counts[r].reduce(0, +), 1)
            for c in 0 ..< k {
                let f = Double(counts[r][c]) / Double(total)
                // White → dark blue with the row fraction.
                let shade = BGR(b: UInt8(255 - 100 * f), g: UInt8(255 - 190 * f), r: UInt8(255 - 220 * f))
                let box = Box(x: left + c * cell, y: top + r * cell, width: cell, height: cell)
                Drawing.fillRectangle(&img, box, color: shade)
                Drawing.rectangle(&img, box, color: gridColor, thickness: 1)
                let textColor: BGR = f > 0.5 ? .white : ink
                Drawing.text(&img, String(counts[r][c]), x: box.x + 8, y: box.y + 14, color: textColor, scale: 0.5)
                Drawing.text(&img, String(format: "%.0f%%", f * 100), x: box.x + 8, y: box.y + 38, color: textColor, scale: 0.4)
            }
            Drawing.text(&img, short(labels[r]), x: 8, y: top + r * cell + cell / 2 - 10, color: ink, scale: 0.45)
        }
        for c in 0 ..< k {
            Drawing.text(&img, short(labels[c]), x: left + c * cell + 4, y: top + k * cell + 6, color: ink, scale: 0.42)
        }
        Drawing.text(&img, "rows: true class", x: 8, y: top + k * cell + 32, color: ink, scale: 0.4)
        return img
    }

    private static func short(_ s: String) -> String { String(s.prefix(8)) }

    /// Two panels: loss (train, validation) and accuracy (train, validation) per epoch.
    public static func curves(_ history: TrainingHistory, title: String) -> BGRImage {
        let panelW = 440, panelH = 320, pad = 20
        var img = BGRImage(width: 2 * panelW + 3 * pad, height: panelH + 70, color: .white)
        Drawing.text(&img, title, x: 10, y: 6, color: ink, scale: 0.55)
        let epochs = history.records.map { Double($0.epoch) }
        panel(&img, Box(x: pad, y: 40, width: panelW, height: panelH), "loss", epochs,
              [("train", history.records.map(\.trainLoss), trainColor), ("validation", history.records.map(\.valLoss), valColor)],
              fromZero: true, legendAtTop: true)
        panel(&img, Box(x: 2 * pad + panelW, y: 40, width: panelW, height: panelH), "accuracy %", epochs,
              [("train", history.records.map { $0.trainAccuracy * 100 }, trainColor),
               ("validation", history.records.map { $0.valAccuracy * 100 }, valColor)], fromZero: false, legendAtTop: false)
        return img
    }

    private static func panel(_ img: inout BGRImage, _ frame: Box, _ name: String, _ xs: [Double],
                              _ series: [(String, [Double], BGR)], fromZero: Bool, legendAtTop: Bool) {
        let plot = Box(x: frame.x + 50, y: frame.y + 24, width: frame.width - 60, height: frame.height - 60)
        Drawing.text(&img, name, x: frame.x, y: frame.y, color: ink, scale: 0.5)
        let values = series.flatMap { $0.1 }.filter(\.isFinite)
        guard !xs.isEmpty, !values.isEmpty else {
            Drawing.text(&img, "no data", x: plot.x + 10, y: plot.y + 10, color: ink)
            return
        }
        var lo = fromZero ? 0 : values.min()!, hi = values.max()!
        if hi - lo < 1e-9 { hi = lo + 1 }
        let margin = (hi - lo) * 0.05
        lo = fromZero ? lo : lo - margin; hi += margin
        let x0 = xs.first!, x1 = max(xs.last!, x0 + 1)
        func px(_ x: Double) -> Int { plot.x + Int((x - x0) / (x1 - x0) * Double(plot.width)) }
        func py(_ y: Double) -> Int { plot.y + plot.height - Int((y - lo) / (hi - lo) * Double(plot.height)) }
        // Grid and tick labels.
        for i in 0 ... 4 {
            let v = lo + (hi - lo) * Double(i) / 4, y = py(v)
            Drawing.line(&img, x0: plot.x, y0: y, x1: plot.maxX, y1: y, color: gridColor)
            Drawing.text(&img, String(format: abs(hi) >= 10 ? "%.0f" : "%.2f", v), x: frame.x, y: y - 9, color: ink, scale: 0.35)
        }
        let tickEvery = max(1, Int((x1 - x0) / 8))
        for e in stride(from: Int(x0), through: Int(x1), by: tickEvery) {
            Drawing.text(&img, String(e), x: px(Double(e)) - 6, y: plot.maxY + 4, color: ink, scale: 0.35)
        }
        Drawing.rectangle(&img, plot, color: ink, thickness: 1)
        Drawing.text(&img, "epoch", x: plot.x + plot.width / 2 - 20, y: plot.maxY + 18, color: ink, scale: 0.4)
        // Series and legend.
        for (k, (label, ys, color)) in series.enumerated() {
            var last: (Int, Int)?
            for (x, y) in zip(xs, ys) where y.isFinite {
                let p = (px(x), py(y))
                if let l = last { Drawing.line(&img, x0: l.0, y0: l.1, x1: p.0, y1: p.1, color: color, thickness: 2) }
                Drawing.circle(&img, centerX: p.0, centerY: p.1, radius: 2, color: color, filled: true)
                last = p
            }
            // Loss falls and accuracy rises: the legend goes where the curves are not.
            let lx = plot.maxX - 110, ly = (legendAtTop ? plot.y + 6 : plot.maxY - 6 - 18 * series.count) + k * 18
            Drawing.line(&img, x0: lx, y0: ly + 8, x1: lx + 18, y1: ly + 8, color: color, thickness: 3)
            Drawing.text(&img, label, x: lx + 22, y: ly, color: ink, scale: 0.4)
        }
    }
}

// How many of a reference's boxes a detector found, frame by frame: greedy
// one-to-one matching by IoU (best pairs first, a pair counts at IoU >= 0.5),
// summed into recall (matched / reference) and precision (matched / found).
// Also the JSON line fer-bench writes per frame, {"frame":N,"boxes":[[x,y,w,h],...]}.
// It does not run detectors or read video (fer-bench recall does).
import Foundation
import FERVision

public struct BoxRecall: Sendable, Equatable {
    public var referenceBoxes = 0
    public var foundBoxes = 0
    public var matched = 0
    public var frames = 0
    public static let minIoU = 0.5

    public init() {}

    public var recall: Double { referenceBoxes == 0 ? 1 : Double(matched) / Double(referenceBoxes) }
    public var precision: Double { foundBoxes == 0 ? 1 : Double(matched) / Double(foundBoxes) }

    /// Adds one frame; returns how many of its reference boxes were matched.
    @discardableResult
    public mutating func add(reference: [Box], found: [Box]) -> Int {
        var pairs: [(iou: Double, r: Int, f: Int)] = []
        for (ri, r) in reference.enumerated() {
            for (fi, f) in found.enumerated() {
                let v = r.iou(f)
                if v >= Self.minIoU { pairs.append((v, ri, fi)) }
            }
        }
        pairs.sort { $0.iou > $1.iou }
        var usedR = Set<Int>(), usedF = Set<Int>()
        for p in pairs where !usedR.contains(p.r) && !usedF.contains(p.f) {
            usedR.insert(p.r)
            usedF.insert(p.f)
        }
        referenceBoxes += reference.count
        foundBoxes += found.count
        matched += usedR.count
        frames += 1
        return usedR.count
    }
}

/// One frame's boxes as a JSON line.
public enum BoxLine {
    public static func encode(frame: Int, boxes: [Box]) -> String {
        "{\"frame\":\(frame),\"boxes\":\(array(boxes))}"
    }

    /// Boxes as a JSON array of [x, y, width, height].
    public static func array(_ boxes: [Box]) -> String {
        "[" + boxes.map { "[\($0.x),\($0.y),\($0.width),\($0.height)]" }.joined(separator: ",") + "]"
    }

    /// nil when the line is not such an object.
    public static func decode(_ line: String) -> (frame: Int, boxes: [Box])? {
        struct Line: Decodable { let frame: Int; let boxes: [[Int]] }
        guard let l = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)),
              l.boxes.allSatisfy({ $0.count == 4 }) else { return nil }
        return (l.frame, l.boxes.map { Box(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) })
    }
}

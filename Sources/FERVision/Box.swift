// An axis-aligned box in frame pixels (x, y of the top-left corner, width,
// height), as the Haar detector returns and the detection log writes it.
// Geometry only: no drawing, no cropping here.

public struct Box: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Exclusive right and bottom edges.
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var area: Int { isEmpty ? 0 : width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Centre in pixel coordinates (a box at x 0 of width 10 has centre x 5).
    public var center: (x: Double, y: Double) {
        (Double(x) + Double(width) / 2, Double(y) + Double(height) / 2)
    }

    /// Whether the point (x, y), in pixel coordinates, lies in the box (right and bottom edges excluded).
    public func contains(x px: Double, y py: Double) -> Bool {
        Double(x) <= px && px < Double(maxX) && Double(y) <= py && py < Double(maxY)
    }

    /// Distance between the centres of two boxes, in pixels.
    public func centerDistance(_ other: Box) -> Double {
        let (ax, ay) = center, (bx, by) = other.center
        return ((ax - bx) * (ax - bx) + (ay - by) * (ay - by)).squareRoot()
    }

    /// The common part of two boxes; an empty box (width or height 0) at the
    /// clamped corner when they do not overlap.
    public func intersection(_ other: Box) -> Box {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Box(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// Intersection over union in [0, 1]; 0 when either box is empty.
    public func iou(_ other: Box) -> Double {
        let inter = intersection(other).area
        let union = area + other.area - inter
        return union > 0 ? Double(inter) / Double(union) : 0
    }

    /// Every edge multiplied by `factor` and rounded, e.g. to map a box found
    /// on a half-size frame back with `scaled(by: 2)`.
    public func scaled(by factor: Double) -> Box {
        let x0 = Int((Double(x) * factor).rounded()), y0 = Int((Double(y) * factor).rounded())
        let x1 = Int((Double(maxX) * factor).rounded()), y1 = Int((Double(maxY) * factor).rounded())
        return Box(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// The part of the box inside a width × height frame (may be empty).
    public func clamped(to width: Int, height: Int) -> Box {
        intersection(Box(x: 0, y: 0, width: width, height: height))
    }

    /// Grows each side by `margin` times the box's size on that axis
    /// (margin 0.1 on a 100-wide box: 10 pixels left and right, 120 wide).
    /// Negative margins shrink it. The result may leave the frame.
    public func expanded(by margin: Double) -> Box {
        let dx = Int((Double(width) * margin).rounded())
        let dy = Int((Double(height) * margin).rounded())
        return Box(x: x - dx, y: y - dy, width: width + 2 * dx, height: height + 2 * dy)
    }

    /// Grows each side by `pixels` (negative: shrinks). The result may leave the frame.
    public func grown(by pixels: Int) -> Box {
        Box(x: x - pixels, y: y - pixels, width: width + 2 * pixels, height: height + 2 * pixels)
    }

    /// The smallest box that holds both (an empty box holds nothing: the other is returned).
    public func union(_ other: Box) -> Box {
        if isEmpty { return other }
        if other.isEmpty { return self }
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return Box(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }

    public var description: String { "[\(x),\(y),\(width),\(height)]" }
}

/// Encoded as the JSON array `[x, y, w, h]`, the detection log's box format.
extension Box: Codable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        x = try c.decode(Int.self)
        y = try c.decode(Int.self)
        width = try c.decode(Int.self)
        height = try c.decode(Int.self)
        if !c.isAtEnd {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "a box is [x, y, width, height]: more than 4 numbers")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(x)
        try c.encode(y)
        try c.encode(width)
        try c.encode(height)
    }
}

// TEMPORARY stand-ins for FERVision types until the vision branch lands.
// Deleted at merge; nothing here is part of FERCam's API.
import FERNet

public struct GrayImage: Sendable {
    public var width: Int, height: Int
    public var pixels: [UInt8]   // (H, W)
    public init(width: Int, height: Int, pixels: [UInt8]) { self.width = width; self.height = height; self.pixels = pixels }
    public init(width: Int, height: Int) { self.init(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height)) }
}
public struct BGRImage: Sendable {
    public var width: Int, height: Int
    public var pixels: [UInt8]   // (H, W, 3)
    public init(width: Int, height: Int, pixels: [UInt8]) { self.width = width; self.height = height; self.pixels = pixels }
    public init(width: Int, height: Int) { self.init(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3)) }
}
public struct Box: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    public func iou(_ o: Box) -> Double {
        let x0 = max(x, o.x), y0 = max(y, o.y), x1 = min(x + width, o.x + o.width), y1 = min(y + height, o.y + o.height)
        let inter = Double(max(0, x1 - x0) * max(0, y1 - y0))
        let union = Double(width * height + o.width * o.height) - inter
        return union > 0 ? inter / union : 0
    }
}
public struct FacePreprocessor: Sendable {
    public static let side = 48
    public var normalization: InputNormalization, margin: Double, equalize: Bool
    public init(normalization: InputNormalization, margin: Double, equalize: Bool) { self.normalization = normalization; self.margin = margin; self.equalize = equalize }
    public func preprocess(gray: GrayImage, box: Box, into out: UnsafeMutablePointer<Float>) {
        for y in 0..<48 { for x in 0..<48 {
            let sx = min(gray.width - 1, max(0, box.x + x * box.width / 48)), sy = min(gray.height - 1, max(0, box.y + y * box.height / 48))
            out[y * 48 + x] = normalization.apply(gray.pixels[sy * gray.width + sx]) } }
    }
}
public final class CascadeDetector {
    public init(path: String) throws {}
    public func detect(_ gray: GrayImage, scaleFactor: Double, minNeighbors: Int, minSize: Int) throws -> [Box] { [] }
}

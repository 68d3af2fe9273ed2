// BGRImage: an 8-bit colour image in OpenCV's BGR byte order as a value over
// [UInt8] (row-major, 3 bytes per pixel, stride == width * 3). Frames for
// drawing and encoding; detection runs on its gray() copy.

import COpenCV

/// A colour as OpenCV orders it: blue, green, red.
public struct BGR: Hashable, Sendable {
    public var b: UInt8
    public var g: UInt8
    public var r: UInt8

    public init(b: UInt8, g: UInt8, r: UInt8) {
        self.b = b
        self.g = g
        self.r = r
    }

    public static let black = BGR(b: 0, g: 0, r: 0)
    public static let white = BGR(b: 255, g: 255, r: 255)
    public static let gray = BGR(b: 128, g: 128, r: 128)
    public static let red = BGR(b: 0, g: 0, r: 255)
    public static let green = BGR(b: 0, g: 200, r: 0)
    public static let blue = BGR(b: 255, g: 0, r: 0)
    public static let yellow = BGR(b: 0, g: 220, r: 255)
    public static let orange = BGR(b: 0, g: 140, r: 255)
    public static let cyan = BGR(b: 255, g: 220, r: 0)
    public static let magenta = BGR(b: 255, g: 0, r: 255)
}

public struct BGRImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// (height, width, 3) row-major, bytes B, G, R per pixel.
    public var pixels: [UInt8]

    public var stride: Int { width * 3 }

    /// Wraps `pixels`; throws unless the size is positive and pixels.count == width * height * 3.
    public init(width: Int, height: Int, pixels: [UInt8]) throws(VisionError) {
        guard width > 0, height > 0 else {
            throw .invalidImage(what: "BGR image", width: width, height: height,
                                reason: "width and height must be positive")
        }
        guard pixels.count == width * height * 3 else {
            throw .invalidImage(what: "BGR image", width: width, height: height,
                                reason: "\(pixels.count) bytes given, expected \(width * height * 3)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A width × height image filled with `color` (size must be positive).
    public init(width: Int, height: Int, color: BGR = .black) {
        precondition(width > 0 && height > 0, "BGR image size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        var px = [UInt8](repeating: 0, count: width * height * 3)
        if color != .black {
            for i in Swift.stride(from: 0, to: px.count, by: 3) {
                px[i] = color.b
                px[i + 1] = color.g
                px[i + 2] = color.r
            }
        }
        self.pixels = px
    }

    /// Gray replicated into the three channels.
    public init(gray: GrayImage) {
        let (w, h) = (gray.width, gray.height)
        self.init(width: w, height: h) { dst in
            gray.pixels.withUnsafeBufferPointer { src in
                Shim.mustSucceed(fc_gray_to_bgr(src.baseAddress, Int32(w), Int32(h), Int32(w), dst, Int32(w * 3)),
                                 "gray to BGR \(w)x\(h)")
            }
        }
    }

    /// Built by a filler that writes all width*height*3 bytes (internal fast path).
    init(width: Int, height: Int, filling: (UnsafeMutablePointer<UInt8>) -> Void) {
        self.width = width
        self.height = height
        self.pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buf, n in
            filling(buf.baseAddress!)
            n = width * height * 3
        }
    }

    public subscript(x: Int, y: Int) -> BGR {
        get {
            let i = (y * width + x) * 3
            return BGR(b: pixels[i], g: pixels[i + 1], r: pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.b
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.r
        }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        try pixels.withUnsafeMutableBufferPointer(body)
    }

    /// Gray copy (cv::cvtColor BGR2GRAY: 0.299 R + 0.587 G + 0.114 B).
    public func gray() -> GrayImage {
        let (w, h) = (width, height)
        return pixels.withUnsafeBufferPointer { src in
            GrayImage(width: w, height: h) { dst in
                Shim.mustSucceed(fc_bgr_to_gray(src.baseAddress, Int32(w), Int32(h), Int32(w * 3), dst, Int32(w)),
                                 "BGR to gray \(w)x\(h)")
            }
        }
    }

    /// Resized copy: INTER_AREA when neither side grows, INTER_LINEAR otherwise.
    public func resized(width newWidth: Int, height newHeight: Int) -> BGRImage {
        precondition(newWidth > 0 && newHeight > 0, "resize target \(newWidth)x\(newHeight) must be positive")
        let (w, h) = (width, height)
        let interpolation = newWidth <= w && newHeight <= h ? Int32(FC_INTER_AREA) : Int32(FC_INTER_LINEAR)
        return pixels.withUnsafeBufferPointer { src in
            BGRImage(width: newWidth, height: newHeight) { dst in
                Shim.mustSucceed(
                    fc_resize(src.baseAddress, Int32(w), Int32(h), Int32(w * 3),
                              dst, Int32(newWidth), Int32(newHeight), Int32(newWidth * 3), 3, interpolation),
                    "resize \(w)x\(h) to \(newWidth)x\(newHeight)")
            }
        }
    }

    /// Copy of the part of `box` inside the image; throws when nothing is left.
    public func crop(_ box: Box) throws(VisionError) -> BGRImage {
        let b = box.clamped(to: width, height: height)
        guard !b.isEmpty else {
            throw .invalidImage(what: "crop \(box)", width: width, height: height,
                                reason: "the box lies outside the image")
        }
        let w = width
        return pixels.withUnsafeBufferPointer { src in
            BGRImage(width: b.width, height: b.height) { dst in
                for row in 0..<b.height {
                    (dst + row * b.width * 3).update(from: src.baseAddress! + ((b.y + row) * w + b.x) * 3,
                                                     count: b.width * 3)
                }
            }
        }
    }

    /// Copies `image` into this one with its top-left corner at (x, y);
    /// parts that fall outside are dropped (e.g. tiling faces or plots).
    public mutating func paste(_ image: BGRImage, x: Int, y: Int) {
        let target = Box(x: x, y: y, width: image.width, height: image.height).clamped(to: width, height: height)
        guard !target.isEmpty else { return }
        let (w, sw) = (width, image.width)
        image.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for row in 0..<target.height {
                    let from = src.baseAddress! + ((target.y - y + row) * sw + (target.x - x)) * 3
                    (dst.baseAddress! + ((target.y + row) * w + target.x) * 3).update(from: from, count: target.width * 3)
                }
            }
        }
    }
}

// GrayImage: an 8-bit gray image as a value over [UInt8] (row-major, stride ==
// width), with the OpenCV operations the pipeline needs on it: resize,
// histogram equalization, crop. Face preprocessing policy lives in
// FacePreprocessor, not here.

import COpenCV

public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// (height, width) row-major, one byte per pixel.
    public var pixels: [UInt8]

    public var stride: Int { width }

    /// Wraps `pixels`; throws unless the size is positive and pixels.count == width * height.
    public init(width: Int, height: Int, pixels: [UInt8]) throws(VisionError) {
        guard width > 0, height > 0 else {
            throw .invalidImage(what: "gray image", width: width, height: height,
                                reason: "width and height must be positive")
        }
        guard pixels.count == width * height else {
            throw .invalidImage(what: "gray image", width: width, height: height,
                                reason: "\(pixels.count) pixels given, expected \(width * height)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A width × height image filled with `value` (size must be positive).
    public init(width: Int, height: Int, fill value: UInt8 = 0) {
        precondition(width > 0 && height > 0, "gray image size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: value, count: width * height)
    }

    /// Built by a filler that writes all width*height bytes (internal fast path).
    init(width: Int, height: Int, filling: (UnsafeMutablePointer<UInt8>) -> Void) {
        self.width = width
        self.height = height
        self.pixels = [UInt8](unsafeUninitializedCapacity: width * height) { buf, n in
            filling(buf.baseAddress!)
            n = width * height
        }
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try pixels.withUnsafeBufferPointer(body)
    }

    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        try pixels.withUnsafeMutableBufferPointer(body)
    }

    /// Resized copy: INTER_AREA when neither side grows, INTER_LINEAR otherwise.
    public func resized(width newWidth: Int, height newHeight: Int) -> GrayImage {
        precondition(newWidth > 0 && newHeight > 0, "resize target \(newWidth)x\(newHeight) must be positive")
        let (w, h) = (width, height)
        let interpolation = newWidth <= w && newHeight <= h ? Int32(FC_INTER_AREA) : Int32(FC_INTER_LINEAR)
        return pixels.withUnsafeBufferPointer { src in
            GrayImage(width: newWidth, height: newHeight) { dst in
                Shim.mustSucceed(
                    fc_resize(src.baseAddress, Int32(w), Int32(h), Int32(w),
                              dst, Int32(newWidth), Int32(newHeight), Int32(newWidth), 1, interpolation),
                    "resize \(w)x\(h) to \(newWidth)x\(newHeight)")
            }
        }
    }

    /// Histogram-equalized copy (cv::equalizeHist).
    public func equalized() -> GrayImage {
        let (w, h) = (width, height)
        return pixels.withUnsafeBufferPointer { src in
            GrayImage(width: w, height: h) { dst in
                Shim.mustSucceed(fc_equalize_hist(src.baseAddress, Int32(w), Int32(h), Int32(w), dst, Int32(w)),
                                 "equalize \(w)x\(h)")
            }
        }
    }

    /// Copy of the part of `box` inside the image; throws when nothing is left.
    public func crop(_ box: Box) throws(VisionError) -> GrayImage {
        let b = box.clamped(to: width, height: height)
        guard !b.isEmpty else {
            throw .invalidImage(what: "crop \(box)", width: width, height: height,
                                reason: "the box lies outside the image")
        }
        let w = width
        return pixels.withUnsafeBufferPointer { src in
            GrayImage(width: b.width, height: b.height) { dst in
                for row in 0..<b.height {
                    (dst + row * b.width).update(from: src.baseAddress! + (b.y + row) * w + b.x, count: b.width)
                }
            }
        }
    }

    /// Three-channel copy (B = G = R = gray), e.g. to draw on.
    public func bgr() -> BGRImage { BGRImage(gray: self) }
}

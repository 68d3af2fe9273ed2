// CascadeDetector: one loaded OpenCV Haar/LBP cascade and detectMultiScale on
// a GrayImage. Which file to load is CascadeLocator's job; downscaling,
// detection cadence and tracking belong to the daemon.

import COpenCV

/// A loaded cascade. NOT thread-safe: OpenCV's CascadeClassifier keeps
/// per-call scratch state, so use one detector per thread (or keep it inside
/// one actor). It is deliberately not Sendable.
public final class CascadeDetector {
    /// The file it was loaded from.
    public let path: String
    private let handle: OpaquePointer

    /// Loads `path`. Throws `.fileNotFound` when it is missing and
    /// `.notACascade` when it is not a cascade file.
    public init(path: String) throws(VisionError) {
        var h: OpaquePointer?
        let status = fc_cascade_load(path, &h)
        switch status {
        case FC_OK:
            guard let h else { throw .opencv(operation: "load cascade '\(path)'", message: "no handle") }
            handle = h
        case FC_NOT_FOUND:
            throw .fileNotFound(kind: "cascade file", path: path)
        case FC_BAD_INPUT:
            throw .notACascade(path: path, reason: Shim.lastError)
        default:
            throw .opencv(operation: "load cascade '\(path)'", message: Shim.lastError)
        }
        self.path = path
        var ww: Int32 = 0, wh: Int32 = 0
        fc_cascade_window(h, &ww, &wh)
        window = Int(max(ww, wh))
    }

    deinit { fc_cascade_free(handle) }

    /// Side of the cascade's detection window in pixels (24 for the frontal-face
    /// Haar cascade): no face smaller than this is found at an image's own scale.
    public let window: Int

    /// Faces in `gray`, in OpenCV's order, in the image's pixel coordinates.
    /// - scaleFactor: image pyramid step (> 1; 1.1 finds more, 1.2-1.3 is faster).
    /// - minNeighbors: overlapping raw hits needed to keep a box (higher: fewer false positives).
    /// - minSize / maxSize: smallest / largest square box side in pixels (maxSize 0: no limit).
    public func detect(_ gray: GrayImage, scaleFactor: Double = 1.1, minNeighbors: Int = 5,
                       minSize: Int = 30, maxSize: Int = 0) throws(VisionError) -> [Box] {
        var raw: UnsafeMutablePointer<Int32>?
        var count: Int32 = 0
        let (w, h) = (gray.width, gray.height)
        let status = gray.pixels.withUnsafeBufferPointer { px in
            fc_cascade_detect(handle, px.baseAddress, Int32(w), Int32(h), Int32(w), scaleFactor,
                              Int32(minNeighbors), Int32(minSize), Int32(maxSize), &raw, &count)
        }
        defer { fc_free(raw) }
        try Shim.check(status, "detect faces in a \(w)x\(h) image with cascade '\(path)'")
        guard let raw, count > 0 else { return [] }
        return (0..<Int(count)).map { i in  // raw is (count, 4): x, y, w, h
            Box(x: Int(raw[4 * i]), y: Int(raw[4 * i + 1]), width: Int(raw[4 * i + 2]), height: Int(raw[4 * i + 3]))
        }
    }
}

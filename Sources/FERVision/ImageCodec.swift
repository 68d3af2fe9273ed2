// ImageCodec: image files and bytes to BGRImage (any format OpenCV's imdecode
// reads) and BGR/gray images to JPEG or PNG bytes or files. Reads files
// itself so that errors can tell a missing file from one that is not an image.

import COpenCV

public enum ImageCodec {
    /// Decodes the image file at `path` to BGR. Throws `.fileNotFound`,
    /// `.unreadableFile` or `.notAnImage`, each naming the path.
    public static func decode(path: String) throws(VisionError) -> BGRImage {
        let bytes = try FileSystem.readAll(path, kind: "image file")
        do {
            return try decode(bytes: bytes)
        } catch .undecodableBytes {
            throw .notAnImage(path: path)
        }
    }

    /// Decodes the image file at `path` to gray through `decode(path:)` and
    /// `BGRImage.gray()`, the same conversion frames get.
    public static func decodeGray(path: String) throws(VisionError) -> GrayImage {
        try decode(path: path).gray()
    }

    /// Decodes encoded bytes (JPEG, PNG, …) to BGR.
    public static func decode(bytes: [UInt8]) throws(VisionError) -> BGRImage {
        guard let mat = fc_mat_new() else { throw .opencv(operation: "decode image", message: "out of memory") }
        defer { fc_mat_free(mat) }
        let status = bytes.withUnsafeBufferPointer { fc_image_decode($0.baseAddress, $0.count, mat) }
        if status == FC_BAD_INPUT { throw .undecodableBytes(count: bytes.count) }
        try Shim.check(status, "decode \(bytes.count) bytes")
        return try MatCopy.bgr(mat, "decode \(bytes.count) bytes")
    }

    /// JPEG bytes at `quality` 0-100.
    public static func encodeJPEG(_ image: BGRImage, quality: Int = 90) throws(VisionError) -> [UInt8] {
        try encode(".jpg", image.pixels, image.width, image.height, channels: 3, quality: quality)
    }

    public static func encodeJPEG(_ image: GrayImage, quality: Int = 90) throws(VisionError) -> [UInt8] {
        try encode(".jpg", image.pixels, image.width, image.height, channels: 1, quality: quality)
    }

    /// Lossless PNG bytes.
    public static func encodePNG(_ image: BGRImage) throws(VisionError) -> [UInt8] {
        try encode(".png", image.pixels, image.width, image.height, channels: 3, quality: 0)
    }

    public static func encodePNG(_ image: GrayImage) throws(VisionError) -> [UInt8] {
        try encode(".png", image.pixels, image.width, image.height, channels: 1, quality: 0)
    }

    /// Writes `image` to `path` as JPEG (.jpg, .jpeg) or PNG (.png), chosen by
    /// the extension; through a temporary file, so readers never see half a file.
    public static func write(_ image: BGRImage, to path: String, jpegQuality: Int = 95) throws(VisionError) {
        let bytes: [UInt8]
        switch try format(of: path) {
        case .jpeg: bytes = try encodeJPEG(image, quality: jpegQuality)
        case .png: bytes = try encodePNG(image)
        }
        try FileSystem.writeAll(bytes, to: path)
    }

    public static func write(_ image: GrayImage, to path: String, jpegQuality: Int = 95) throws(VisionError) {
        let bytes: [UInt8]
        switch try format(of: path) {
        case .jpeg: bytes = try encodeJPEG(image, quality: jpegQuality)
        case .png: bytes = try encodePNG(image)
        }
        try FileSystem.writeAll(bytes, to: path)
    }

    private enum Format { case jpeg, png }

    private static func format(of path: String) throws(VisionError) -> Format {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { throw .unsupportedFormat(path: path) }
        switch name[name.index(after: dot)...].lowercased() {
        case "jpg", "jpeg": return .jpeg
        case "png": return .png
        default: throw .unsupportedFormat(path: path)
        }
    }

    private static func encode(_ ext: String, _ pixels: [UInt8], _ width: Int, _ height: Int,
                               channels: Int, quality: Int) throws(VisionError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = pixels.withUnsafeBufferPointer { px in
            fc_image_encode(ext, px.baseAddress, Int32(width), Int32(height), Int32(width * channels),
                            Int32(channels), Int32(quality), &out, &length)
        }
        defer { fc_free(out) }
        try Shim.check(status, "encode a \(width)x\(height) image as \(ext)")
        guard let out else { throw .opencv(operation: "encode \(ext)", message: "no bytes") }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }
}

/// Copies an fc_mat the shim filled into a BGRImage (internal).
enum MatCopy {
    static func bgr(_ mat: OpaquePointer, _ operation: String) throws(VisionError) -> BGRImage {
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0
        fc_mat_info(mat, &w, &h, &c)
        guard w > 0, h > 0, c == 3 else {
            throw .invalidImage(what: operation, width: Int(w), height: Int(h),
                                reason: "OpenCV returned \(c) channels, expected 3")
        }
        var status = FC_OK
        let image = BGRImage(width: Int(w), height: Int(h)) { dst in
            status = fc_mat_copy_to(mat, dst, w * 3)
        }
        try Shim.check(status, operation)
        return image
    }
}

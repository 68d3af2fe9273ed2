// Typed errors of the vision layer. Each message says what failed, where
// (path, size) and how to fix it; `exitCode` maps it to sysexits for the
// executables. No recovery logic here.

public enum VisionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file that was asked for does not exist. `kind` is "image file", "video file", …
    case fileNotFound(kind: String, path: String)
    /// A file exists but cannot be read (permissions, a directory, an I/O error).
    case unreadableFile(kind: String, path: String, reason: String)
    /// A file exists but OpenCV cannot decode it as an image.
    case notAnImage(path: String)
    /// Bytes handed to `ImageCodec.decode(bytes:)` are not an image.
    case undecodableBytes(count: Int)
    /// A cascade file exists but is not a cascade OpenCV can load.
    case notACascade(path: String, reason: String)
    /// No cascade file at any place `CascadeLocator` looked.
    case cascadeNotFound(tried: [String], fromFlag: Bool)
    /// A video file exists but FFmpeg cannot open or decode it.
    case unreadableVideo(path: String, reason: String)
    /// An image size or pixel count that cannot be used.
    case invalidImage(what: String, width: Int, height: Int, reason: String)
    /// `ImageCodec.write` was given a path whose extension it does not know.
    case unsupportedFormat(path: String)
    /// An encoded image could not be written.
    case writeFailed(path: String, reason: String)
    /// A window was asked for but no display is available.
    case noDisplay
    /// OpenCV reported an error (an exception caught in the shim).
    case opencv(operation: String, message: String)
    /// A library opened on first use (OnDemandLibraries) is not installed; `message` names its package.
    case libraryMissing(operation: String, message: String)

    public var description: String {
        switch self {
        case let .fileNotFound(kind, path):
            return "\(kind) '\(path)' does not exist (check the path; relative paths start at \(currentDirectory))"
        case let .unreadableFile(kind, path, reason):
            return "\(kind) '\(path)' cannot be read: \(reason) (check that it is a regular file and readable by this user)"
        case let .notAnImage(path):
            return "image file '\(path)' is not an image OpenCV can decode (use a JPEG, PNG, BMP or similar file)"
        case let .undecodableBytes(count):
            return "\(count) bytes are not an image OpenCV can decode (expected a JPEG, PNG or similar encoding)"
        case let .notACascade(path, reason):
            return "cascade file '\(path)' is not a Haar/LBP cascade: \(reason) (pass an OpenCV cascade XML, e.g. /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml, with --cascade PATH)"
        case let .cascadeNotFound(tried, fromFlag):
            let places = tried.joined(separator: ", ")
            if fromFlag {
                return "cascade file given with --cascade does not exist: \(places) (fix the path, or drop --cascade to use the default lookup)"
            }
            return "no Haar cascade found; tried: \(places) (install it with 'apt-get install opencv-data', or pass --cascade PATH)"
        case let .unreadableVideo(path, reason):
            return "video file '\(path)' cannot be read: \(reason) (use a video FFmpeg can decode, e.g. H.264 in MP4)"
        case let .invalidImage(what, width, height, reason):
            return "\(what): \(width)x\(height) image: \(reason)"
        case let .unsupportedFormat(path):
            return "cannot write '\(path)': unknown image extension (use .jpg, .jpeg or .png)"
        case let .writeFailed(path, reason):
            return "cannot write '\(path)': \(reason) (check that the directory exists and is writable)"
        case .noDisplay:
            return "cannot open a window: neither DISPLAY nor WAYLAND_DISPLAY is set (run under a desktop session or xvfb-run, or run without the window)"
        case let .opencv(operation, message):
            return "OpenCV failed in \(operation): \(message)"
        case let .libraryMissing(operation, message):
            return "cannot \(operation): \(message)"
        }
    }

    /// sysexits code for an executable that stops on this error.
    public var exitCode: Int32 {
        switch self {
        case .fileNotFound, .unreadableFile, .notAnImage, .undecodableBytes, .unreadableVideo:
            return 66  // EX_NOINPUT
        case .cascadeNotFound, .notACascade, .unsupportedFormat:
            return 78  // EX_CONFIG
        case .noDisplay, .libraryMissing:
            return 69  // EX_UNAVAILABLE
        case .writeFailed:
            return 73  // EX_CANTCREAT
        case .invalidImage, .opencv:
            return 70  // EX_SOFTWARE
        }
    }

    private var currentDirectory: String {
        FileSystem.currentDirectory()
    }
}

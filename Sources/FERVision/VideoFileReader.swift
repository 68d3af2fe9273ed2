// VideoFileReader: frames of a video file as BGRImage, through FFmpeg's
// libraries (the shim opens them on the first video). Cameras are read elsewhere (the V4L2 shim); pacing to the
// file's frame rate is the caller's choice.

import COpenCV

/// Reads one video file front to back. Not thread-safe; not Sendable.
public final class VideoFileReader {
    public let path: String
    public let width: Int
    public let height: Int
    /// Frames per second the container declares (0 if unknown).
    public let fps: Double
    /// The container's estimate of the number of frames (may be off or 0).
    public let frameCount: Int
    /// Frames returned by `next()` so far.
    public private(set) var framesRead = 0

    private let handle: OpaquePointer
    private let frame: OpaquePointer

    /// Opens `path`. Throws `.fileNotFound` or `.unreadableVideo` naming it.
    public init(path: String) throws(VisionError) {
        var h: OpaquePointer?
        let status = fc_video_open(path, &h)
        switch status {
        case FC_OK: break
        case FC_NOT_FOUND: throw .fileNotFound(kind: "video file", path: path)
        case FC_BAD_INPUT: throw .unreadableVideo(path: path, reason: "FFmpeg cannot open it: \(Shim.lastError)")
        default: try Shim.check(status, "open video '\(path)'")
        }
        guard let h else { throw .opencv(operation: "open video '\(path)'", message: "no handle") }
        guard let m = fc_mat_new() else {
            fc_video_free(h)
            throw .opencv(operation: "open video '\(path)'", message: "out of memory")
        }
        var w: Int32 = 0, hh: Int32 = 0, f = 0.0, n: Int64 = 0
        fc_video_info(h, &w, &hh, &f, &n)
        self.path = path
        self.handle = h
        self.frame = m
        self.width = Int(w)
        self.height = Int(hh)
        self.fps = f.isFinite && f > 0 ? f : 0
        self.frameCount = max(0, Int(n))
    }

    deinit {
        fc_mat_free(frame)
        fc_video_free(handle)
    }

    /// The next frame, or nil at the end of the file.
    public func next() throws(VisionError) -> BGRImage? {
        var got: Int32 = 0
        let status = fc_video_read(handle, frame, &got)
        if status == FC_BAD_INPUT { throw .unreadableVideo(path: path, reason: Shim.lastError) }
        try Shim.check(status, "read frame \(framesRead) of '\(path)'")
        guard got != 0 else { return nil }
        let image = try MatCopy.bgr(frame, "read frame \(framesRead) of '\(path)'")
        framesRead += 1
        return image
    }
}

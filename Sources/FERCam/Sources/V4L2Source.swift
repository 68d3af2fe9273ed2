// FrameSource over a V4L2 capture node through the CV4L2 shim (libv4l2, mmap
// streaming). Opens, negotiates size / rate / pixel format, and turns each
// dequeued buffer into a Frame with the driver's timestamp, converted once into
// planes the frame owns. Errors map to sysexits: missing node 66 (with the list
// of cameras that do exist), busy, not a capture device, no usable format,
// stopped delivering, unplugged: 69.
import CV4L2
import Foundation
import FERVision

public struct V4L2Request: Sendable, Equatable {
    /// 0 = driver default.
    public var width: Int = 640
    public var height: Int = 480
    public var fps: Int = 30
    /// Native pixel format to force ("YUYV", "GREY", "NV12", "YU12", "MJPG", ...); nil = automatic.
    public var pixelFormat: String?
    /// A frame must arrive within this many milliseconds once streaming (the
    /// first frame gets three times as long: cameras warm up).
    public var frameTimeoutMs: Int = 1000
    public var buffers: Int = 4
    /// Convert each frame to BGR as well as gray. Off when nothing draws (no window, no
    /// stream): the camera's pixels are then converted to gray alone.
    public var color: Bool = true
    public init() {}
}

/// What was negotiated, for the diagnostic line.
public struct V4L2Negotiated: Sendable, Equatable, CustomStringConvertible {
    public var device: String
    public var driver: String
    public var card: String
    public var width: Int
    public var height: Int
    public var nativeFormat: String
    public var convertedByLibv4l2: Bool
    public var fps: Double?

    public var description: String {
        let rate = fps.map { String(format: "%.2f fps", $0) } ?? "driver rate unknown"
        let conv = convertedByLibv4l2 ? " (converted by libv4l2)" : ""
        return "\(device): \(card) [\(driver)] \(width)x\(height) \(nativeFormat)\(conv) \(rate)"
    }
}

public final class V4L2Source: FrameSource, @unchecked Sendable {
    public let name: String
    public let negotiated: V4L2Negotiated
    private let device: OpaquePointer
    private let request: V4L2Request
    private var index = 0
    private let monotonicTimestamps: Bool

    public var summary: String { negotiated.description }
    public var isLive: Bool { true }
    public var nominalFPS: Double? { negotiated.fps }

    /// "0" or "/dev/video0".
    public static func devicePath(_ spec: String) -> String {
        if let n = Int(spec), n >= 0 { return "/dev/video\(n)" }
        return spec
    }

    /// Capture nodes under /dev (sorted); empty on a machine without cameras.
    public static func captureDevices() -> [String] {
        var buf = [CChar](repeating: 0, count: 8192)
        let n = fc_v4l2_list_capture_devices(&buf, buf.count)
        guard n > 0 else { return [] }
        let text = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text.split(separator: "\n").map(String.init)
    }

    public init(device spec: String, request: V4L2Request) throws(CamError) {
        let path = V4L2Source.devicePath(spec)
        name = path
        self.request = request
        var fourcc: UInt32 = 0
        if let f = request.pixelFormat {
            guard let code = V4L2Source.fourcc(f) else {
                throw .usage("--pixel-format \(f): expected a four-character code such as YUYV, MJPG, GREY, NV12, YU12")
            }
            fourcc = code
        }
        var handle: OpaquePointer?
        let st = fc_v4l2_open(path, &handle)
        guard st == FC_V4L2_OK, let handle else {
            throw V4L2Source.error(st, path: path, message: String(cString: fc_v4l2_error_message()))
        }
        var info = fc_v4l2_info()
        var cst = fc_v4l2_configure(handle, UInt32(max(0, request.width)), UInt32(max(0, request.height)),
                                    UInt32(max(0, request.fps)), fourcc, &info)
        if cst == FC_V4L2_OK { cst = fc_v4l2_start(handle, UInt32(request.buffers)) }
        guard cst == FC_V4L2_OK else {
            let msg = String(cString: fc_v4l2_error_message())
            fc_v4l2_close(handle)
            throw V4L2Source.error(cst, path: path, message: msg)
        }
        device = handle
        monotonicTimestamps = info.timestamp_monotonic != 0
        let w = Int(info.width), h = Int(info.height)
        negotiated = V4L2Negotiated(
            device: path,
            driver: V4L2Source.string(info.driver),
            card: V4L2Source.string(info.card),
            width: w, height: h,
            nativeFormat: V4L2Source.fourccString(info.native_fourcc),
            convertedByLibv4l2: info.converted_by_libv4l2 != 0,
            fps: info.fps_denominator > 0 ? Double(info.fps_numerator) / Double(info.fps_denominator) : nil)
    }

    deinit {
        fc_v4l2_close(device)
    }

    public func next() throws(CamError) -> Frame? {
        let timeout = index == 0 ? request.frameTimeoutMs * 3 : request.frameTimeoutMs
        var ts = 0.0
        var seq: UInt32 = 0
        let w = negotiated.width, h = negotiated.height
        // Fresh planes for each frame, which the shim fills straight from the driver's mmap buffer
        // and the frame then owns: the one copy. (A scratch buffer kept here was shared with the
        // last frame, still in the ring, so the next read copied it again before overwriting it.)
        var st = FC_V4L2_OK
        let color = request.color
        var bgr: [UInt8] = []                                                   // (H, W, 3); empty without color
        let gray = [UInt8](unsafeUninitializedCapacity: w * h) { g, gCount in   // (H, W)
            bgr = [UInt8](unsafeUninitializedCapacity: color ? w * h * 3 : 0) { b, bCount in
                st = fc_v4l2_read(device, Int32(timeout), g.baseAddress, w * h, color ? b.baseAddress : nil, b.count, &ts, &seq)
                bCount = color ? w * h * 3 : 0
            }
            gCount = w * h
        }
        if st == FC_V4L2_INTERRUPTED { return nil }
        guard st == FC_V4L2_OK else {
            throw V4L2Source.error(st, path: name, message: String(cString: fc_v4l2_error_message()))
        }
        // Capture instant: the driver's timestamp when it is CLOCK_MONOTONIC
        // (the moment the frame was taken), otherwise now.
        let now = MonotonicClock.nanos()
        var captured = now
        if monotonicTimestamps, ts > 0, UInt64(ts * 1e9) <= now { captured = UInt64(ts * 1e9) }
        let frame: Frame
        do {
            frame = Frame(index: index, time: ts, wallTime: Date(), monotonicNanos: captured, source: name,
                          gray: try GrayImage(width: w, height: h, pixels: gray),
                          bgr: color ? try BGRImage(width: w, height: h, pixels: bgr) : nil)
        } catch {
            throw .internalError("\(name): frame buffer: \(error)")
        }
        index += 1
        return frame
    }

    public func interrupt() {
        fc_v4l2_interrupt(device)
    }

    // MARK: - helpers

    static func error(_ st: fc_v4l2_status, path: String, message: String) -> CamError {
        switch st {
        case FC_V4L2_NO_DEVICE:
            let cams = captureDevices()
            return .inputMissing("\(path): no such device; connected cameras: \(cams.isEmpty ? "none" : cams.joined(separator: ", "))"
                + (cams.isEmpty ? " (try --source test for the built-in synthetic camera)" : ""))
        case FC_V4L2_BUSY:
            return .deviceUnavailable("\(path): device busy (another program is using the camera); \(message)")
        case FC_V4L2_PERMISSION:
            return .deviceUnavailable("\(path): permission denied (add the user to the 'video' group); \(message)")
        case FC_V4L2_NOT_CAPTURE:
            return .deviceUnavailable("\(message)")
        case FC_V4L2_NO_FORMAT:
            return .deviceUnavailable("\(message)")
        case FC_V4L2_TIMEOUT:
            return .deviceUnavailable("\(message)")
        case FC_V4L2_GONE:
            return .deviceUnavailable("\(path): camera disconnected (\(message))")
        case FC_V4L2_INVALID:
            return .internalError(message)
        default:
            return .deviceUnavailable("\(path): I/O error: \(message)")
        }
    }

    static func fourcc(_ s: String) -> UInt32? {
        var name = s.uppercased()
        if name == "YUV420" || name == "I420" { name = "YU12" }
        if name == "MJPEG" { name = "MJPG" }
        if name == "BGR24" { name = "BGR3" }
        if name == "RGB24" { name = "RGB3" }
        if name == "GRAY" { name = "GREY" }
        let bytes = Array(name.utf8)
        guard bytes.count == 4 else { return nil }
        return UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    static func fourccString(_ v: UInt32) -> String {
        let chars = (0..<4).map { Character(UnicodeScalar(UInt8((v >> (8 * UInt32($0))) & 0xff))) }
        return String(chars).trimmingCharacters(in: .whitespaces)
    }

    private static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

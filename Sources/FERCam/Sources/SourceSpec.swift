// Which source a run reads, parsed from fer-cam's DEVICE argument and
// --source flag, and how to open it. Parsing is pure (testable); opening
// touches the device or file and returns a FrameSource.
import CV4L2
import Foundation

public enum SourceSpec: Sendable, Equatable, CustomStringConvertible {
    /// A V4L2 node ("/dev/video0").
    case device(String)
    /// A video file.
    case video(String)
    /// One image file or a directory of images.
    case images(String)
    /// The built-in synthetic camera.
    case test

    public static let videoExtensions: Set<String> = ["mp4", "mkv", "avi", "mov", "webm", "m4v", "mpg", "mpeg", "ts", "flv", "wmv"]

    /// device: the positional argument ("0", "/dev/video2"), source: --source.
    /// Both given is a usage error; neither means device 0.
    public static func parse(device: String?, source: String?) throws(CamError) -> SourceSpec {
        if let device, source != nil {
            throw .usage("give either a DEVICE (\(device)) or --source, not both")
        }
        if let source {
            if source == "test" { return .test }
            if source.hasPrefix("/dev/video") { return .device(source) }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: source, isDirectory: &isDir), isDir.boolValue { return .images(source) }
            let ext = (source as NSString).pathExtension.lowercased()
            if videoExtensions.contains(ext) { return .video(source) }
            if ImageSource.extensions.contains(ext) { return .images(source) }
            guard FileManager.default.fileExists(atPath: source) else {
                throw .inputMissing("--source \(source): no such file or directory (give a video file, an image, a directory of images, or 'test')")
            }
            return .video(source)   // unknown extension: let FFmpeg try
        }
        let d = device ?? "0"
        if let n = Int(d) {
            guard n >= 0 else { throw .usage("device number must be >= 0, got \(d)") }
            return .device("/dev/video\(n)")
        }
        guard d.hasPrefix("/") else {
            throw .usage("DEVICE must be a number (0) or a path (/dev/video2), got '\(d)'; for files use --source \(d)")
        }
        return .device(d)
    }

    public var description: String {
        switch self {
        case .device(let p): return p
        case .video(let p), .images(let p): return p
        case .test: return "test"
        }
    }

    /// Cheap existence check before the expensive setup (model, cascade), so
    /// "no such device" is what a user without a camera hears first.
    public func precheck() throws(CamError) {
        switch self {
        case .device(let path):
            if !FileManager.default.fileExists(atPath: path) {
                throw V4L2Source.error(FC_V4L2_NO_DEVICE, path: path, message: "no such file")
            }
        case .video(let path), .images(let path):
            if !FileManager.default.fileExists(atPath: path) {
                throw .inputMissing("--source \(path): no such file or directory")
            }
        case .test:
            break
        }
    }

    /// Opens the source. pace: play files / the test camera in real time.
    public func open(camera: V4L2Request, pace: Bool) throws(CamError) -> FrameSource {
        switch self {
        case .device(let path): return try V4L2Source(device: path, request: camera)
        case .video(let path): return try VideoFileSource(path: path, pace: pace)
        case .images(let path): return try ImageSource(path: path)
        case .test:
            return SyntheticSource(width: camera.width > 0 ? camera.width : 640, height: camera.height > 0 ? camera.height : 480,
                                   fps: Double(camera.fps > 0 ? camera.fps : 30), pace: pace)
        }
    }
}

// FrameSource over still images: one file, or every image file of a
// directory in name order. Each image is its own scene (sequence), so tracks
// never continue from one picture to the next: every face gets start and end.
// Frame time is the image's position (1 s per image, for the event rules).
import Foundation
import FERVision

public final class ImageSource: FrameSource, @unchecked Sendable {
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "pgm", "ppm"]
    public let name: String
    public let paths: [String]
    private var index = 0
    private let interruptLock = NSLock()
    private var interrupted = false

    public var summary: String { "\(name): \(paths.count) still image\(paths.count == 1 ? "" : "s")" }
    public var isLive: Bool { false }
    public var nominalFPS: Double? { nil }

    /// path: an image file or a directory of them.
    public init(path: String) throws(CamError) {
        name = path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw .inputMissing("--source \(path): no such file or directory")
        }
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            paths = names.filter { ImageSource.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            guard !paths.isEmpty else {
                throw .inputMissing("--source \(path): directory has no image files (\(ImageSource.extensions.sorted().joined(separator: ", ")))")
            }
        } else {
            paths = [path]
        }
    }

    public func next() throws(CamError) -> Frame? {
        interruptLock.lock()
        let stop = interrupted
        interruptLock.unlock()
        guard !stop, index < paths.count else { return nil }
        let path = paths[index]
        let bgr: BGRImage
        do { bgr = try ImageCodec.decode(path: path) } catch { throw CamError(error) }
        let frame = Frame(index: index, time: Double(index), source: path, sequence: index, gray: bgr.gray(), bgr: bgr)
        index += 1
        return frame
    }

    public func interrupt() {
        interruptLock.lock()
        interrupted = true
        interruptLock.unlock()
    }
}

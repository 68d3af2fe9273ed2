// FrameSource over a video file (FFmpeg through FERVision.VideoFileReader).
// Frame time is the position in the file (index / fps). Not live: the
// pipeline waits for inference instead of dropping frames. Optional pacing
// plays it at the file's rate (for watching with --show).
import Foundation
import FERVision

public final class VideoFileSource: FrameSource, @unchecked Sendable {
    public let name: String
    private let reader: VideoFileReader
    private let pace: Bool
    private var index = 0
    private var startNanos: UInt64?
    private let interruptLock = NSLock()
    private var interrupted = false

    public var summary: String {
        "\(name): video \(reader.width)x\(reader.height) at \(String(format: "%.2f", reader.fps)) fps, about \(reader.frameCount) frames"
    }
    public var isLive: Bool { false }
    public var nominalFPS: Double? { reader.fps > 0 ? reader.fps : nil }

    /// pace: deliver frames no faster than the file's frame rate.
    public init(path: String, pace: Bool = false) throws(CamError) {
        name = path
        self.pace = pace
        do { reader = try VideoFileReader(path: path) } catch { throw CamError(error) }
    }

    public func next() throws(CamError) -> Frame? {
        interruptLock.lock()
        let stop = interrupted
        interruptLock.unlock()
        if stop { return nil }
        let bgr: BGRImage?
        do { bgr = try reader.next() } catch { throw CamError(error) }
        guard let bgr else { return nil }
        let fps = reader.fps > 0 ? reader.fps : 30
        let t = Double(index) / fps
        if pace {
            let start = startNanos ?? MonotonicClock.nanos()
            startNanos = start
            let due = start + UInt64(t * 1e9)
            let now = MonotonicClock.nanos()
            if due > now { usleep(useconds_t(min(1_000_000, (due - now) / 1000))) }
        }
        let frame = Frame(index: index, time: t, source: name, gray: bgr.gray(), bgr: bgr)
        index += 1
        return frame
    }

    public func interrupt() {
        interruptLock.lock()
        interrupted = true
        interruptLock.unlock()
    }
}

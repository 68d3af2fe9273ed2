// The one frame type that travels the whole pipeline: a gray plane for
// detection and classification, a BGR image for drawing and streaming (made
// only when something draws), and where / when it came from. Faces are boxes
// into it, never copies of it.
import Foundation
import FERVision

public struct Frame: Sendable {
    /// 0-based position in this run (counts every frame the source delivered,
    /// including those the ring later dropped).
    public var index: Int
    /// Seconds on the source's own clock: the driver's timestamp for V4L2,
    /// the position in the file for video, the image's order for stills.
    public var time: Double
    /// Wall-clock time of capture (the `time` field of events).
    public var wallTime: Date
    /// Monotonic capture instant in nanoseconds (frame → event latency).
    public var monotonicNanos: UInt64
    /// Where it came from: device path, file path, "test".
    public var source: String
    /// Changes when the content is unrelated to the previous frame (the next
    /// still image): every open track ends there.
    public var sequence: Int
    /// (H, W) 8-bit luminance.
    public var gray: GrayImage
    /// (H, W, 3) BGR as the source delivered it, same size as gray; nil when the source made
    /// none because nothing draws (a camera with no window and no stream converts gray alone).
    public var color: BGRImage?

    /// bgr: nil when the source made no colour image (see `color`).
    public init(index: Int, time: Double, wallTime: Date = Date(), monotonicNanos: UInt64 = MonotonicClock.nanos(),
                source: String, sequence: Int = 0, gray: GrayImage, bgr: BGRImage?) {
        if let bgr { precondition(gray.width == bgr.width && gray.height == bgr.height, "gray and BGR planes differ in size") }
        self.index = index
        self.time = time
        self.wallTime = wallTime
        self.monotonicNanos = monotonicNanos
        self.source = source
        self.sequence = sequence
        self.gray = gray
        self.color = bgr
    }

    /// (H, W, 3) the picture to draw on: `color`, or the gray plane in three channels when the
    /// source made no colour image.
    public var bgr: BGRImage { color ?? BGRImage(gray: gray) }

    public var width: Int { gray.width }
    public var height: Int { gray.height }
}

/// CLOCK_MONOTONIC in nanoseconds; immune to wall-clock jumps.
public enum MonotonicClock {
    public static func nanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
    public static func seconds() -> Double { Double(nanos()) / 1e9 }
}

// `fer-cam --probe`: opens a source, reads a few frames and reports what
// was negotiated and delivered (size, pixel format, rate, brightness) without
// any model or detection. For checking a camera, and for the driver tests.
import Foundation

public struct ProbeReport: Sendable, Equatable {
    public var summary: String
    public var frames: Int
    public var width: Int
    public var height: Int
    /// Mean gray level of the last frame (0-255): 0 means a black picture.
    public var meanGray: Double
    /// Distinct gray levels in the last frame (a test pattern has many).
    public var grayLevels: Int
    public var seconds: Double

    /// One line: `probe: <summary>; 10 frames 640x480 in 1.23 s (8.1 fps), mean gray 112.4, 201 levels`.
    public var line: String {
        let rate = seconds > 0 ? Double(frames) / seconds : 0
        return String(format: "probe: %@; %d frames %dx%d in %.2f s (%.1f fps), mean gray %.1f, %d levels",
                      summary, frames, width, height, seconds, rate, meanGray, grayLevels)
    }
}

public enum SourceProbe {
    public static func run(_ source: FrameSource, frames: Int) throws(CamError) -> ProbeReport {
        let start = MonotonicClock.nanos()
        var n = 0
        var last: Frame?
        while n < frames, let f = try source.next() {
            last = f
            n += 1
        }
        guard let last else { throw .deviceUnavailable("\(source.name): delivered no frame") }
        var hist = [Int](repeating: 0, count: 256)
        for p in last.gray.pixels { hist[Int(p)] += 1 }
        let total = last.gray.pixels.count
        let mean = Double(hist.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(max(1, total))
        return ProbeReport(summary: source.summary, frames: n, width: last.width, height: last.height, meanGray: mean,
                           grayLevels: hist.filter { $0 > 0 }.count,
                           seconds: Double(MonotonicClock.nanos() - start) / 1e9)
    }
}

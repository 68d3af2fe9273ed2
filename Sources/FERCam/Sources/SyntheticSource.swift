// `--source test`: a built-in synthetic camera, so anyone without a webcam
// sees the product work. It draws two or three cartoon faces (CartoonFace)
// that drift across a textured background and change expression every few
// seconds, at a steady frame rate, as a live source (frames are dropped when
// processing falls behind, like a camera). Deterministic for a given frame
// index. It makes no claim about which emotion the model will see.
import Foundation
import FERVision

public final class SyntheticSource: FrameSource, @unchecked Sendable {
    public let name = "test"
    public let width: Int
    public let height: Int
    public let fps: Double
    /// Deliver frames in real time (false: as fast as asked, for tests).
    private let pace: Bool
    private var index = 0
    private var startNanos: UInt64?
    private let interruptLock = NSLock()
    private var interrupted = false
    private let background: [UInt8]   // (H, W, 3)

    public var summary: String { "test: synthetic camera \(width)x\(height) at \(String(format: "%.0f", fps)) fps with cartoon faces" }
    public var isLive: Bool { pace }
    public var nominalFPS: Double? { fps }

    public init(width: Int = 640, height: Int = 480, fps: Double = 30, pace: Bool = true) {
        self.width = max(160, width)
        self.height = max(120, height)
        self.fps = fps > 0 ? fps : 30
        self.pace = pace
        background = SyntheticSource.makeBackground(width: self.width, height: self.height)
    }

    /// Faces visible at frame `index` (also what tests compare detections with).
    func faces(at index: Int) -> [CartoonFace] {
        let t = Double(index) / fps
        let w = Double(width), h = Double(height)
        let base = min(w, h)
        let count = 2 + (index / Int(fps * 8)) % 2          // 2 faces, then 3, every 8 s
        var out: [CartoonFace] = []
        for k in 0..<count {
            let phase = Double(k) * 2.1
            let size = base * (0.34 + 0.04 * sin(t * 0.5 + phase))
            let lane = (Double(k) + 0.5) / Double(count)
            let cx = w * lane + (w / Double(count) * 0.18) * sin(t * 0.7 + phase)
            let cy = h * 0.5 + h * 0.12 * cos(t * 0.6 + phase)
            let expr = CartoonFace.Expression(rawValue: (Int(t / 3) + k) % CartoonFace.Expression.allCases.count) ?? .neutral
            out.append(CartoonFace(centerX: cx, centerY: cy, size: size, expression: expr))
        }
        return out
    }

    /// Renders frame `index` (no pacing).
    public func render(index: Int) -> BGRImage {
        var pixels = background
        let (w, h) = (width, height)
        pixels.withUnsafeMutableBufferPointer { buf in
            for face in faces(at: index) { face.paint(buf.baseAddress!, width: w, height: h) }
        }
        return BGRImage(width: w, height: h, filledFrom: pixels)
    }

    public func next() throws(CamError) -> Frame? {
        interruptLock.lock()
        let stop = interrupted
        interruptLock.unlock()
        if stop { return nil }
        if pace {
            let start = startNanos ?? MonotonicClock.nanos()
            startNanos = start
            let due = start + UInt64(Double(index) / fps * 1e9)
            let now = MonotonicClock.nanos()
            if due > now { usleep(useconds_t(min(1_000_000, (due - now) / 1000))) }
        }
        let bgr = render(index: index)
        let frame = Frame(index: index, time: Double(index) / fps, source: name, gray: bgr.gray(), bgr: bgr)
        index += 1
        return frame
    }

    public func interrupt() {
        interruptLock.lock()
        interrupted = true
        interruptLock.unlock()
    }

    /// A soft diagonal gradient with a faint grid: texture without face-like blobs.
    private static func makeBackground(width: Int, height: Int) -> [UInt8] {
        var px = [UInt8](repeating: 0, count: width * height * 3)   // (H, W, 3)
        for y in 0..<height {
            for x in 0..<width {
                let g = 70 + 50 * Double(x + y) / Double(width + height)
                let grid = (x % 40 == 0 || y % 40 == 0) ? 12.0 : 0
                let i = (y * width + x) * 3
                px[i] = UInt8(min(255, g * 1.1 + grid))
                px[i + 1] = UInt8(min(255, g * 0.95 + grid))
                px[i + 2] = UInt8(min(255, g * 0.8 + grid))
            }
        }
        return px
    }
}

extension BGRImage {
    /// Wraps pixels known to be (height, width, 3).
    init(width: Int, height: Int, filledFrom pixels: [UInt8]) {
        var img = BGRImage(width: width, height: height)
        img.pixels = pixels
        self = img
    }
}

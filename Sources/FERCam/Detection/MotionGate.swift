// Where did the picture change? A cheap motion detector in the way NVRs gate
// their object detectors: the gray frame is shrunk to block means (one value
// per `blockSize`×`blockSize` block, OpenCV's INTER_AREA), compared with the
// block means of `lag` passes before, and blocks that differ by more than
// `threshold` grey levels are grouped into boxes (frame pixels).
// - Sensor noise averages out in a block mean (16×16 px: a per-pixel noise
//   of 4 grey levels becomes about a quarter of a level).
// - Slow light changes move every block together: the median difference of
//   all blocks is taken off first.
// - A few passes back, not a slowly adapting background: a background keeps
//   what moved away for dozens of frames, so everything a moving person
//   passed stayed "changed" behind them (on group-1080p a trail of about
//   240 px behind the moving group photo, searched as new motion on every
//   pass); a few passes back also sees slow movement (`lag` passes of it).
// It does not detect faces, decide what to search, or keep tracks.
import FERVision

public struct MotionGateConfig: Sendable, Equatable {
    /// Side of a block in frame pixels (the thumbnail is the frame / blockSize).
    public var blockSize: Int = 16
    /// A block moved when its mean differs from the lagged frame's by more than this (grey levels, 0-255).
    public var threshold: Float = 6
    /// A frame is compared with the one this many passes before it (the first passes with the first frame).
    public var lag: Int = 3
    /// Changed blocks are grown by this many blocks on each side before grouping (a face's edge moves first).
    public var grow: Int = 1
    public init() {}
}

public final class MotionGate {
    public let config: MotionGateConfig
    private var history: [[Float]] = []   // the last lag thumbnails, oldest first, each (rows, cols) block means
    private var cols = 0, rows = 0
    private var frameWidth = 0, frameHeight = 0
    /// Fraction (0-1) of the blocks that changed on the last update: near 1 on a scene cut
    /// or a camera pan.
    public private(set) var changedFraction = 0.0
    /// (rows, cols) the blocks that changed on the last update, explained ones included;
    /// empty before the first comparison (the first frame, a new frame size).
    private var lastMoved: [Bool] = []

    public init(config: MotionGateConfig = MotionGateConfig()) {
        precondition(config.blockSize >= 2 && config.threshold > 0 && config.lag >= 1,
                     "motion gate config \(config) out of range")
        self.config = config
    }

    /// Compares `gray` with the frame `lag` passes before, and returns the boxes
    /// (frame pixels, inside the frame) where the picture changed, leaving out
    /// blocks whose centre lies in one of `explained` (motion already accounted
    /// for, e.g. around faces being followed; changedFraction still counts them).
    /// The first frame, and a frame of another size, only start the history: no motion.
    public func update(_ gray: GrayImage, explained: [Box] = []) -> [Box] {
        let bs = config.blockSize
        let c = max(1, gray.width / bs), r = max(1, gray.height / bs)
        let means = gray.resized(width: c, height: r).pixels.map(Float.init)   // (r, c)
        guard gray.width == frameWidth, gray.height == frameHeight, history.first?.count == means.count else {
            (frameWidth, frameHeight, cols, rows) = (gray.width, gray.height, c, r)
            history = [means]
            changedFraction = 0
            lastMoved = []
            return []
        }
        let before = history[0]
        history.append(means)
        if history.count > config.lag { history.removeFirst() }
        // Global light change: the median of all block differences.
        var diff = [Float](repeating: 0, count: means.count)   // (rows, cols)
        for i in means.indices { diff[i] = means[i] - before[i] }
        let shift = Self.median(diff)
        var moved = [Bool](repeating: false, count: means.count)   // (rows, cols)
        var any = false
        for i in diff.indices where abs(diff[i] - shift) > config.threshold {
            moved[i] = true
            any = true
        }
        changedFraction = Double(moved.lazy.filter { $0 }.count) / Double(max(1, moved.count))
        lastMoved = moved
        guard any else { return [] }
        if !explained.isEmpty {
            let sx = Double(gray.width) / Double(cols), sy = Double(gray.height) / Double(rows)
            any = false
            for i in moved.indices where moved[i] {
                let cx = (Double(i % cols) + 0.5) * sx, cy = (Double(i / cols) + 0.5) * sy
                if explained.contains(where: { $0.contains(x: cx, y: cy) }) {
                    moved[i] = false
                } else {
                    any = true
                }
            }
            guard any else { return [] }
        }
        return regions(moved)
    }

    /// Whether the last update saw change in a block that overlaps `box` (frame pixels),
    /// explained or not. True when it could not tell (no comparison yet): never a reason to
    /// skip a search.
    public func moved(in box: Box) -> Bool {
        guard lastMoved.count == rows * cols, rows > 0 else { return true }
        let sx = Double(frameWidth) / Double(cols), sy = Double(frameHeight) / Double(rows)
        let x0 = max(0, Int(Double(box.x) / sx)), x1 = min(cols - 1, Int(Double(box.maxX - 1) / sx))
        let y0 = max(0, Int(Double(box.y) / sy)), y1 = min(rows - 1, Int(Double(box.maxY - 1) / sy))
        guard x0 <= x1, y0 <= y1 else { return false }
        for y in y0...y1 { for x in x0...x1 where lastMoved[y * cols + x] { return true } }
        return false
    }

    /// Groups moved blocks (grown by `grow`) into the bounding boxes of their
    /// 8-connected components, in frame pixels.
    private func regions(_ moved: [Bool]) -> [Box] {
        var grown = [Bool](repeating: false, count: moved.count)   // (rows, cols)
        let g = config.grow
        for y in 0..<rows {
            for x in 0..<cols where moved[y * cols + x] {
                for yy in max(0, y - g)...min(rows - 1, y + g) {
                    for xx in max(0, x - g)...min(cols - 1, x + g) { grown[yy * cols + xx] = true }
                }
            }
        }
        var label = [Int](repeating: -1, count: moved.count)
        var boxes: [Box] = []
        var stack: [Int] = []
        for start in grown.indices where grown[start] && label[start] < 0 {
            var (x0, y0, x1, y1) = (cols, rows, 0, 0)
            label[start] = boxes.count
            stack.append(start)
            while let i = stack.popLast() {
                let x = i % cols, y = i / cols
                (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
                for yy in max(0, y - 1)...min(rows - 1, y + 1) {
                    for xx in max(0, x - 1)...min(cols - 1, x + 1) {
                        let j = yy * cols + xx
                        if grown[j] && label[j] < 0 { label[j] = boxes.count; stack.append(j) }
                    }
                }
            }
            // Block (x, y) covers frame pixels [x*sx, (x+1)*sx); the last block reaches the frame edge.
            let sx = Double(frameWidth) / Double(cols), sy = Double(frameHeight) / Double(rows)
            let px0 = Int(Double(x0) * sx), py0 = Int(Double(y0) * sy)
            let px1 = x1 == cols - 1 ? frameWidth : Int(Double(x1 + 1) * sx)
            let py1 = y1 == rows - 1 ? frameHeight : Int(Double(y1 + 1) * sy)
            boxes.append(Box(x: px0, y: py0, width: px1 - px0, height: py1 - py0))
        }
        return boxes
    }

    static func median(_ v: [Float]) -> Float {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

// The pieces of one full scan of a frame: every face side from minFace to
// maxFace, cut into octave bands (each searched at the scale where its
// smallest face just fills the cascade's window with RegionDetector's
// headroom), and each band cut into overlapping tiles of about `tileSide`
// search pixels. Tiles overlap by the band's largest face, so every face of
// the band lies whole inside at least one tile. A tile's cost is the pixels
// the cascade sees (area × scale²), the unit RollingScan budgets in.
// It does not run the cascade or choose which tiles to scan (RollingScan).
import FERVision

public struct ScanTile: Sendable, Equatable {
    public var job: DetectionJob
    /// Search pixels (region area × scale²): what one scan of this tile costs, in RollingScan's unit.
    public var cost: Int
    /// 0 for the finest band (the smallest faces), counting up.
    public var band: Int
}

public struct ScanPlan: Sendable, Equatable {
    public let width: Int, height: Int
    public let minFace: Int, maxFace: Int
    public let tiles: [ScanTile]
    /// Sum of the tiles' costs: one full scan.
    public let totalCost: Int

    /// A band covers faces [lo, lo × bandRatio]; the next starts a little below (bandOverlap)
    /// so that a face on the border is whole in one band.
    public static let bandRatio = 2.0
    public static let bandOverlap = 1.15

    /// `maxFace` 0: up to the frame's shorter side.
    public init(width: Int, height: Int, minFace: Int, maxFace: Int, window: Int, tileSide: Int = 256) {
        precondition(width > 0 && height > 0 && minFace > 0 && window > 0 && tileSide >= 2 * window)
        self.width = width
        self.height = height
        let top = maxFace > 0 ? min(maxFace, min(width, height)) : min(width, height)
        self.minFace = minFace
        self.maxFace = top
        var tiles: [ScanTile] = []
        var lo = Double(minFace)
        var band = 0
        while Int(lo.rounded(.down)) <= top {
            let hi = min(Double(top), lo * Self.bandRatio)
            let job = DetectionJob(region: Box(x: 0, y: 0, width: width, height: height),
                                   minFace: Int(lo.rounded(.down)), maxFace: Int(hi.rounded(.up)))
            let s = RegionDetector.scale(window: window, minFace: job.minFace)
            // Tile side and overlap in frame pixels.
            let side = Double(tileSide) / s
            let overlap = hi * 1.1
            for ys in Self.spans(length: height, side: side, overlap: overlap) {
                for xs in Self.spans(length: width, side: side, overlap: overlap) {
                    var j = job
                    j.region = Box(x: xs.start, y: ys.start, width: xs.length, height: ys.length)
                    let cost = Int((Double(xs.length * ys.length) * s * s).rounded(.up))
                    tiles.append(ScanTile(job: j, cost: max(1, cost), band: band))
                }
            }
            if hi >= Double(top) { break }
            lo = hi / Self.bandOverlap
            band += 1
        }
        self.tiles = tiles
        totalCost = tiles.reduce(0) { $0 + $1.cost }
    }

    /// Evenly spaced spans of at most `side` covering 0..<length, neighbours sharing at least
    /// `overlap` (a single span when the length fits).
    static func spans(length: Int, side: Double, overlap: Double) -> [(start: Int, length: Int)] {
        let l = Double(length)
        guard side < l, side > overlap else { return [(0, length)] }
        let n = Int(((l - overlap) / (side - overlap)).rounded(.up))
        let w = Int(side.rounded(.up))
        let step = Double(length - w) / Double(max(1, n - 1))
        return (0..<n).map { i in
            let start = min(length - w, Int((Double(i) * step).rounded()))
            return (start, w)
        }
    }

    /// One line for the start-up log: what is searched and how much a full scan is.
    public var summary: String {
        let bands = Set(tiles.map(\.band)).count
        return "faces \(minFace)-\(maxFace) px searched in a \(width)x\(height) frame: \(bands) bands, "
            + "\(tiles.count) tiles, \(totalCost / 1000) k search pixels per full scan"
    }
}

// The pieces of one full scan of a frame: every face side from minFace to
// maxFace, cut into bands of sizes (each ×bandRatio, searched with raw windows
// RegionDetector.margin beyond its ends, so a face on a border still gets the
// neighbours it needs), and each band cut into overlapping tiles. Tiles
// overlap by the band's largest window, so every face of the band lies whole
// inside at least one tile. Together the pieces search what OpenCV's full-frame
// detection searches, at about 1.2 times its cost. A tile's cost is the window
// positions the cascade evaluates (RegionDetector.windows), RollingScan's unit.
// It does not run the cascade or choose which tiles to scan (RollingScan).
import FERVision

public struct ScanTile: Sendable, Equatable {
    public var job: DetectionJob
    /// Window positions the cascade evaluates (RegionDetector.windows): what one scan of
    /// this tile costs, in RollingScan's unit.
    public var cost: Int
    /// 0 for the finest band (the smallest faces), counting up.
    public var band: Int
    /// Frame pixels a face of the band reaches beyond any point it covers (the tiles'
    /// overlap, ScanPlan.overlap): a face over a changed spot lies inside the spot grown by it.
    public var reach: Int { Int(ScanPlan.overlap(job).rounded(.up)) }
    /// Its index in ScanPlan.tiles.
    public var index: Int
    /// Only part of the tile's region is searched (ScanPlan.part): the rest was not.
    public var partial = false
}

public struct ScanPlan: Sendable, Equatable {
    public let width: Int, height: Int
    public let minFace: Int, maxFace: Int
    /// The frame is searched at this scale (1: full size; less under a --detect-width cap).
    public let scale: Double
    public let tiles: [ScanTile]
    /// Sum of the tiles' costs: one full scan.
    public let totalCost: Int
    /// The cascade's window and pyramid step, for the cost of a part of a tile.
    public let window: Int
    public let scaleFactor: Double

    /// A band covers faces [lo, lo × bandRatio]; the next starts where it ends.
    public static let bandRatio = 3.0

    /// `maxFace` 0: up to the frame's shorter side. `scale` < 1: the frame is searched shrunk
    /// (a --detect-width cap). `tileSide`: a tile's side in searched pixels, at least 3 times
    /// the overlap (the band's largest window).
    public init(width: Int, height: Int, minFace: Int, maxFace: Int, window: Int, scaleFactor: Double = 1.1,
                scale: Double = 1, tileSide: Int = 512) {
        precondition(width > 0 && height > 0 && minFace > 0 && window > 0 && tileSide >= 2 * window && scale > 0)
        self.width = width
        self.height = height
        let top = maxFace > 0 ? min(maxFace, min(width, height)) : min(width, height)
        self.minFace = minFace
        self.maxFace = top
        self.scale = scale
        self.window = window
        self.scaleFactor = scaleFactor
        var tiles: [ScanTile] = []
        var lo = Double(minFace)
        var band = 0
        let m = RegionDetector.margin
        while Int(lo.rounded(.down)) <= top {
            let hi = min(Double(top), lo * Self.bandRatio)
            let job = DetectionJob(region: Box(x: 0, y: 0, width: width, height: height),
                                   minFace: Int((lo / m).rounded(.down)), maxFace: Int((hi * m).rounded(.up)), scale: scale)
            // Tile side and overlap in frame pixels.
            let overlap = Self.overlap(job)
            let side = max(Double(tileSide) / scale, 3 * overlap)
            for ys in Self.spans(length: height, side: side, overlap: overlap) {
                for xs in Self.spans(length: width, side: side, overlap: overlap) {
                    var j = job
                    j.region = Box(x: xs.start, y: ys.start, width: xs.length, height: ys.length)
                    let cost = RegionDetector.windows(j, window: window, scaleFactor: scaleFactor)
                    tiles.append(ScanTile(job: j, cost: max(1, cost), band: band, index: tiles.count))
                }
            }
            if hi >= Double(top) { break }
            lo = hi
            band += 1
        }
        self.tiles = tiles
        totalCost = tiles.reduce(0) { $0 + $1.cost }
    }

    /// How far neighbouring tiles of a band overlap, in frame pixels: its largest raw window and
    /// a tenth more, so every face of the band lies whole inside at least one tile.
    static func overlap(_ job: DetectionJob) -> Double { Double(job.maxFace) * 1.1 }

    /// `tile`'s search over the part of its region inside `area`, with its own cost; the
    /// whole tile when that part is all of it.
    public func part(of tile: ScanTile, in area: Box) -> ScanTile {
        let region = area.intersection(tile.job.region)
        guard region != tile.job.region else { return tile }
        var part = tile
        part.job.region = region
        part.cost = max(1, RegionDetector.windows(part.job, window: window, scaleFactor: scaleFactor))
        part.partial = true
        return part
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
            + "\(tiles.count) tiles, \(totalCost / 1000) k cascade windows per full scan"
    }
}

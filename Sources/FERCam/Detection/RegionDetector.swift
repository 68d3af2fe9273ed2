// One search for faces of a given size range in one region of a frame, the
// way OpenCV's full-frame detection searches them: the region at full size
// (or at DetectionJob.scale under a --detect-width cap) and the cascade's own
// pyramid over raw windows from minFace to maxFace. Pre-shrinking a region
// so its smallest face just fills the window lost half the faces the
// full-frame cascade finds: OpenCV steps its window by 1 px only on levels
// shrunk more than 2×, and a face needs raw hits from sizes around its own
// (a size band cut tight loses its neighbours). The building block of the
// track-guided and rolling searches (issue 16); it does not decide which
// regions to search or keep tracks.
import FERVision

/// A region of the frame and the raw window sides (frame pixels) to search in it.
public struct DetectionJob: Sendable, Equatable {
    public var region: Box
    /// Smallest and largest raw window, frame pixels (0: no upper limit). A face is found
    /// from windows around its side, so a job for faces [a, b] searches [a / margin, b × margin].
    public var minFace: Int
    public var maxFace: Int
    /// Scale of the frame before the search: 1 (full size) unless --detect-width caps it.
    public var scale: Double
    /// Fewer neighbours than the detector's own to accept a face (nil: the detector's), for
    /// a place where a face was just seen: a borderline face flickers between 4 and 6 hits
    /// as a window's position on the cascade's grid changes.
    public var minNeighbors: Int?
    /// The cascade's pyramid step (nil: the detector's): coarser where sizes are known.
    public var scaleFactor: Double?
    public init(region: Box, minFace: Int, maxFace: Int = 0, scale: Double = 1, minNeighbors: Int? = nil, scaleFactor: Double? = nil) {
        self.region = region
        self.minFace = minFace
        self.maxFace = maxFace
        self.scale = scale
        self.minNeighbors = minNeighbors
        self.scaleFactor = scaleFactor
    }
}

extension DetectionJob {
    /// Whether a face of this side is one the job is for, not one found in its margin: the
    /// raw windows reach RegionDetector.margin beyond the faces at both ends.
    public func owns(side: Int) -> Bool {
        let m = RegionDetector.margin, s = Double(side)
        return s >= (Double(minFace) * m).rounded(.down) && (maxFace == 0 || s <= (Double(maxFace) / m).rounded(.up))
    }
}

/// Immutable, but its cascade must not search from two threads at once: HaarFaceDetector
/// gives each thread its own RegionDetector (hence unchecked Sendable).
public final class RegionDetector: @unchecked Sendable {
    private let cascade: CascadeDetector
    public let scaleFactor: Double
    public let minNeighbors: Int
    /// Histogram-equalize each searched patch first (dim scenes).
    public let equalize: Bool
    /// The cascade's window side: the smallest face findable at scale 1.
    public var window: Int { cascade.window }

    public init(cascade: CascadeDetector, scaleFactor: Double, minNeighbors: Int, equalize: Bool = false) {
        self.cascade = cascade
        self.equalize = equalize
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
    }

    /// Raw windows from side / margin to side × margin find a face of that side (its box is
    /// the mean of its neighbours' windows); also the smallest face findable at all is the
    /// window × margin (30 px for a 24-px cascade: at 24 px a face gets too few hits).
    public static let margin = 1.25

    /// The smallest face findable at all (--min-face's floor).
    public static func smallestFace(window: Int) -> Int { Int((Double(window) * margin).rounded(.up)) }

    /// Window positions the cascade evaluates for `job` (its cost, in RollingScan's unit):
    /// OpenCV's pyramid, level f = scaleFactor^k shrinks the region by f and steps 2 px
    /// (1 px once f > 2), for windows from minFace to maxFace.
    public static func windows(_ job: DetectionJob, window: Int, scaleFactor: Double) -> Int {
        let w = Double(job.region.width) * job.scale, h = Double(job.region.height) * job.scale
        let lo = Double(job.minFace) * job.scale, hi = job.maxFace > 0 ? Double(job.maxFace) * job.scale : .infinity
        var total = 0
        var f = 1.0
        while true {
            let side = (Double(window) * f).rounded()
            let lw = Int((w / f).rounded()), lh = Int((h / f).rounded())
            if lw < window || lh < window || side > hi { break }
            if side >= lo {
                let step = f > 2 ? 1 : 2
                total += ((lw - window) / step + 1) * ((lh - window) / step + 1)
            }
            f *= scaleFactor
        }
        return total
    }

    /// Faces in the job's region (clipped to the frame), in frame pixels.
    public func detect(_ gray: GrayImage, _ job: DetectionJob) throws(CamError) -> [Box] {
        let region = job.region.clamped(to: gray.width, height: gray.height)
        let s = min(1, job.scale)
        guard Double(region.width) * s >= Double(window), Double(region.height) * s >= Double(window) else { return [] }
        let w = max(window, Int((Double(region.width) * s).rounded()))
        let h = max(window, Int((Double(region.height) * s).rounded()))
        var patch: GrayImage   // (h, w)
        do {
            let crop = region == Box(x: 0, y: 0, width: gray.width, height: gray.height) ? gray : try gray.crop(region)
            patch = (w == crop.width && h == crop.height) ? crop : crop.resized(width: w, height: h)   // INTER_AREA
            if equalize { patch = patch.equalized() }
        } catch {
            throw .internalError("detection region \(region) of a \(gray.width)x\(gray.height) frame: \(error)")
        }
        let sx = Double(region.width) / Double(w), sy = Double(region.height) / Double(h)
        let minSize = max(window, Int((Double(job.minFace) * s).rounded(.down)))
        let maxSize = job.maxFace > 0 ? max(minSize, Int((Double(job.maxFace) * s).rounded(.up))) : 0
        let found: [Box]
        do {
            found = try cascade.detect(patch, scaleFactor: job.scaleFactor ?? scaleFactor, minNeighbors: job.minNeighbors ?? minNeighbors,
                                       minSize: minSize, maxSize: maxSize)
        } catch {
            throw .internalError("face detection failed: \(error)")
        }
        return found.map { b in
            let x = region.x + Int((Double(b.x) * sx).rounded()), y = region.y + Int((Double(b.y) * sy).rounded())
            let bw = Int((Double(b.width) * sx).rounded()), bh = Int((Double(b.height) * sy).rounded())
            return Box(x: x, y: y, width: bw, height: bh).clamped(to: gray.width, height: gray.height)
        }
    }
}

// One search for faces of a given size range in one region of a frame, at
// the scale where the smallest wanted face just fills the cascade's window
// (24 px for the frontal-face Haar cascade): a 30-px face in a 1080p frame
// is searched at 0.8×, a 300-px face with min size 240 at 0.1×, never at a
// fixed detection width that silently loses small faces. The building block
// of the motion-gated, track-guided and rolling searches (issue 16); it does
// not decide which regions to search or keep tracks.
import FERVision

/// A region of the frame and the face sides (frame pixels) to find in it.
public struct DetectionJob: Sendable, Equatable {
    public var region: Box
    public var minFace: Int
    /// 0: no upper limit.
    public var maxFace: Int
    /// The smallest wanted face is searched at `headroom` windows wide (RegionDetector.headroom
    /// by default; more costs more and finds a blurred or turning face more surely).
    public var headroom: Double
    public init(region: Box, minFace: Int, maxFace: Int = 0, headroom: Double = RegionDetector.headroom) {
        self.region = region
        self.minFace = minFace
        self.maxFace = maxFace
        self.headroom = headroom
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

    /// The smallest wanted face is searched at this many windows wide: a face
    /// exactly one window wide gets too few neighbouring hits (a 30-px face
    /// searched at 24 px was missed; at 30 px it is found).
    public static let headroom = 1.25

    /// Scale applied to the region before the search: window × headroom / minFace,
    /// at most 1 (never upscaled: faces below the window are out of reach).
    public func scale(for job: DetectionJob) -> Double {
        Self.scale(window: window, minFace: job.minFace, headroom: job.headroom)
    }

    /// The one rule for the search scale: window × headroom / minFace, at most 1.
    public static func scale(window: Int, minFace: Int, headroom: Double = RegionDetector.headroom) -> Double {
        min(1, Double(window) * headroom / Double(max(1, minFace)))
    }

    /// The smallest face findable at all: the window with headroom (a smaller --min-face
    /// would be searched above full size).
    public static func smallestFace(window: Int) -> Int { Int((Double(window) * headroom).rounded(.up)) }

    /// Faces in the job's region (clipped to the frame), in frame pixels.
    public func detect(_ gray: GrayImage, _ job: DetectionJob) throws(CamError) -> [Box] {
        let region = job.region.clamped(to: gray.width, height: gray.height)
        guard region.width >= window, region.height >= window else { return [] }
        let s = scale(for: job)
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
        let maxSize = job.maxFace > 0 ? max(window, Int((Double(job.maxFace) * s).rounded())) : 0
        let found: [Box]
        do {
            // The window itself, not minFace × scale: the cascade's box for a face of minFace
            // pixels is often a little smaller (a 30-px face is missed with minSize 30).
            found = try cascade.detect(patch, scaleFactor: scaleFactor, minNeighbors: minNeighbors,
                                       minSize: window, maxSize: maxSize)
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

// FaceDetector over OpenCV's Haar cascade, searching only where it pays:
// - around each followed face (its predicted box, at sizes near its own),
// - a rolling full scan (RollingScan over a ScanPlan: every face size from
//   --min-face to --max-face, each at the scale where it just fills the
//   cascade's window), tiles where the MotionGate saw change first;
// then merges what the searches found. A scene cut (most of the picture
// changed at once) is searched whole (all tiles) on that frame. A still image
// (config.stills), or --no-track-roi, is one full-frame search on every pass:
// OpenCV's own detection from --min-face up, the reference.
// It does not decide on which frames to run (FrameProcessor) or keep tracks.
import Dispatch
import Foundation
import FERVision

public final class HaarFaceDetector: FaceDetector {
    public let config: DetectionConfig
    /// One per detection thread: an OpenCV cascade is not safe to use from two threads at once.
    private let searchers: [RegionDetector]
    private let gate: MotionGate
    private var scan: RollingScan?
    private var lastCut = -Double.infinity
    /// Called with each new scan plan (the first frame, a new frame size): the start-up log line.
    public var onPlan: ((String) -> Void)?
    /// A followed face missed on the last pass is searched at this many windows wide (not
    /// RegionDetector.headroom): a moving or turning face needs more pixels to be found again.
    public static let lostTrackHeadroom = 2.0
    /// More than this fraction of the picture changed at once: a new scene, searched whole.
    public static let sceneCutFraction = 0.5
    /// ... at most once per this many seconds (a pan or a shaking camera changes most of the
    /// picture on every frame; between two whole searches the rolling scan goes on).
    public static let minCutInterval = 1.0
    /// What the last pass searched (benchmarks, diagnostics).
    public private(set) var lastPass = DetectionPass()

    /// Loads the cascade; a missing file is .inputMissing, a bad one .configuration, a
    /// --min-face below the cascade's window .usage.
    public init(cascadePath: String, config: DetectionConfig) throws(CamError) {
        self.config = config
        guard FileManager.default.fileExists(atPath: cascadePath) else {
            throw .inputMissing("cascade \(cascadePath): no such file (install opencv-data, or pass --cascade PATH)")
        }
        var searchers: [RegionDetector] = []
        for _ in 0..<max(1, config.threads) {
            do {
                searchers.append(RegionDetector(cascade: try CascadeDetector(path: cascadePath), scaleFactor: config.scaleFactor,
                                                minNeighbors: config.minNeighbors, equalize: config.equalize))
            } catch {
                throw .configuration("cascade \(cascadePath): \(error) (is it an OpenCV cascade XML?)")
            }
        }
        self.searchers = searchers
        gate = MotionGate(config: config.motion)
        let smallest = RegionDetector.smallestFace(window: searchers[0].window)
        guard config.minFaceSize >= smallest else {
            throw .usage("--min-face \(config.minFaceSize) is below what the cascade can find: its window is \(searchers[0].window) px, "
                         + "so the smallest face it finds is \(smallest) px; use --min-face \(smallest) or more")
        }
    }

    /// The cascade's window side in pixels.
    public var window: Int { searchers[0].window }

    /// The smallest face searched in a frame `width` wide: --min-face, raised when
    /// --detect-width caps the search resolution.
    public func smallestFace(frameWidth width: Int) -> Int {
        let smallest = RegionDetector.smallestFace(window: window)
        guard config.detectWidth > 0, width > config.detectWidth else { return config.minFaceSize }
        return max(config.minFaceSize, Int((Double(smallest) * Double(width) / Double(config.detectWidth)).rounded(.up)))
    }

    public func detect(_ frame: Frame, tracked: [Track]) throws(CamError) -> [Box] {
        let scan = try rollingScan(width: frame.width, height: frame.height)
        var jobs: [DetectionJob]
        var motionRegions = 0
        var sceneCut = false
        if config.stills || !config.trackROI {
            // The whole frame in one search, the cascade's own pyramid from --min-face up:
            // exactly OpenCV's full detection (a photo has time; --no-track-roi is the baseline).
            jobs = [DetectionJob(region: Box(x: 0, y: 0, width: frame.width, height: frame.height),
                                 minFace: scan.plan.minFace, maxFace: config.maxFaceSize)]
        } else {
            let motion = config.motionGate ? gate.update(frame.gray) : nil
            motionRegions = motion?.count ?? 0
            jobs = tracked.compactMap { trackJob($0, plan: scan.plan) }
            if config.motionGate && gate.changedFraction > Self.sceneCutFraction && frame.time - lastCut >= Self.minCutInterval {
                lastCut = frame.time
                // A new picture (a cut, a pan): the faces followed are likely gone; search it all now.
                jobs += scan.all(now: frame.time).map(\.job)
                sceneCut = true
            } else {
                jobs += scan.next(now: frame.time, motion: motion).map(\.job)
            }
        }
        let found = try run(jobs, on: frame.gray)
        lastPass = DetectionPass(jobs: jobs.count, searchPixels: jobs.reduce(0) { $0 + searchPixels($1) },
                                 motionRegions: motionRegions, boxes: found.count, sceneCut: sceneCut)
        return Self.merged(found)
    }

    /// The search around one followed face: its predicted box grown by 0.4 of its size on
    /// each side, and by 0.3 more for each pass it was missed (up to 1.5: a face that jumped
    /// is looked for further out, and at a finer scale), for faces from 1/1.25 to 1.25 times
    /// its side.
    func trackJob(_ track: Track, plan: ScanPlan) -> DetectionJob? {
        let box = track.box
        let side = Double(max(box.width, box.height))
        let lo = max(plan.minFace, Int(side / 1.25)), hi = min(plan.maxFace, Int((side * 1.25).rounded(.up)))
        guard hi >= lo else { return nil }
        let region = box.expanded(by: min(1.5, 0.4 + 0.3 * Double(track.missed))).clamped(to: plan.width, height: plan.height)
        guard !region.isEmpty else { return nil }
        // Found on the last pass: a quick look. Missed: a closer one (more pixels per face).
        return DetectionJob(region: region, minFace: lo, maxFace: hi,
                            headroom: track.missed > 0 ? Self.lostTrackHeadroom : RegionDetector.headroom)
    }

    private func searchPixels(_ job: DetectionJob) -> Int {
        let s = RegionDetector.scale(window: window, minFace: job.minFace, headroom: job.headroom)
        return Int(Double(job.region.area) * s * s)
    }

    private func rollingScan(width: Int, height: Int) throws(CamError) -> RollingScan {
        if let scan, scan.plan.width == width, scan.plan.height == height { return scan }
        let minFace = smallestFace(frameWidth: width)
        guard minFace <= min(width, height) else {
            throw .usage("--min-face \(config.minFaceSize) is larger than the \(width)x\(height) frame"
                         + (minFace != config.minFaceSize ? " (raised to \(minFace) by --detect-width \(config.detectWidth))" : "")
                         + "; use a --min-face of at most \(min(width, height))")
        }
        let plan = ScanPlan(width: width, height: height, minFace: minFace, maxFace: config.maxFaceSize, window: window)
        let made = RollingScan(plan: plan, busyPeriod: config.busyScanPeriod, stillPeriod: config.stillScanPeriod)
        scan = made
        var line = "detection: " + plan.summary
        if minFace != config.minFaceSize { line += " (--detect-width \(config.detectWidth) raises --min-face \(config.minFaceSize) to \(minFace))" }
        if config.stills || !config.trackROI {
            line += "; the whole frame on every pass"
        } else {
            line += "; a full scan every \(config.busyScanPeriod) s while something moves"
                + (config.motionGate ? ", every \(config.stillScanPeriod) s in a still scene" : " (no motion gate)")
        }
        onPlan?(line)
        return made
    }

    /// Runs the jobs, on one thread or spread over the searchers (largest jobs first), and
    /// returns the boxes in job order either way (so merging keeps the same ones).
    private func run(_ jobs: [DetectionJob], on gray: GrayImage) throws(CamError) -> [Box] {
        if searchers.count == 1 || jobs.count < 2 {
            var out: [Box] = []
            for j in jobs { out += try searchers[0].detect(gray, j) }
            return out
        }
        // Deal the jobs (by index) so each thread gets about the same search pixels.
        var lanes = [[Int]](repeating: [], count: searchers.count)
        var load = [Int](repeating: 0, count: searchers.count)
        for i in jobs.indices.sorted(by: { searchPixels(jobs[$0]) > searchPixels(jobs[$1]) }) {
            let k = load.indices.min { load[$0] < load[$1] }!
            lanes[k].append(i)
            load[k] += searchPixels(jobs[i])
        }
        let results = ResultBox(count: jobs.count)
        let searchers = self.searchers, dealt = lanes
        DispatchQueue.concurrentPerform(iterations: searchers.count) { k in
            for i in dealt[k] {
                results.set(i, Result { () throws(CamError) -> [Box] in try searchers[k].detect(gray, jobs[i]) })
            }
        }
        var all: [Box] = []
        for r in results.all { all += try r.get() }
        return all
    }

    /// One box per face: a box that overlaps a kept one by IoU > 0.3, or whose centre lies
    /// inside a kept box of a similar size (the same face found by two searches at two
    /// scales) is dropped; earlier boxes win (track windows come first).
    static func merged(_ boxes: [Box]) -> [Box] {
        func same(_ a: Box, _ b: Box) -> Bool {
            if a.iou(b) > 0.3 { return true }
            let (cx, cy) = b.center
            let inside = Double(a.x) <= cx && cx < Double(a.maxX) && Double(a.y) <= cy && cy < Double(a.maxY)
            let ratio = Double(max(a.width, b.width)) / Double(max(1, min(a.width, b.width)))
            return inside && ratio < 1.6
        }
        var kept: [Box] = []
        for b in boxes where !kept.contains(where: { same($0, b) }) { kept.append(b) }
        return kept
    }
}

/// What one detection pass did.
public struct DetectionPass: Sendable, Equatable {
    public var jobs = 0
    /// Pixels the cascade was given, summed over the searches (each region at its scale).
    public var searchPixels = 0
    public var motionRegions = 0
    /// Boxes found before merging duplicates.
    public var boxes = 0
    /// Most of the picture changed at once: the whole frame was searched.
    public var sceneCut = false
}

/// Per-job results of a parallel pass.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Box], CamError>]
    init(count: Int) { results = Array(repeating: .success([]), count: count) }
    func set(_ i: Int, _ r: Result<[Box], CamError>) { lock.lock(); results[i] = r; lock.unlock() }
    var all: [Result<[Box], CamError>] { lock.lock(); defer { lock.unlock() }; return results }
}

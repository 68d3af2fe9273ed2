// FaceDetector over OpenCV's Haar cascade, searching only where it pays:
// - around each followed face (its predicted box, at sizes near its own; a
//   face found on the last pass rests every other pass, trackRestEvery, and
//   while nothing changes around it up to stillRestSeconds),
// - a rolling full scan (RollingScan over a ScanPlan: every face size from
//   --min-face to --max-face, in tiles and size bands that together search
//   what OpenCV's full-frame detection does), tiles where the MotionGate saw
//   change first;
// then merges what the searches found. A new picture (the first frame, a new
// frame size, a scene cut: most of the picture changed at once) is searched
// whole on that frame, as OpenCV's own full-frame detection searches it, so
// every face in view is found at once. A still image (config.stills), or
// --no-track-roi, is that whole-frame search on every pass.
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
    /// Around a followed face the cascade's pyramid steps this much (not --scale-factor's 1.1):
    /// its size is known, and a face is tested at about 40 % of the cost.
    public static let trackScaleFactor = 1.2
    /// Around a followed face, a face needs this many fewer neighbours than --min-neighbors,
    /// confirmed or not (a tentative one still needs --confirm-hits detections; with 1 fewer
    /// before confirmation, a borderline face on short_hamilton_clip was lost on its second
    /// pass: recall 84 % against 87 %).
    public static let trackNeighborRelief = 2
    /// More than this fraction of the picture changed at once: a new scene, searched whole.
    public static let sceneCutFraction = 0.5
    /// ... at most once per this many seconds (a pan or a shaking camera changes most of the
    /// picture on every frame; between two whole searches the rolling scan goes on).
    public static let minCutInterval = 1.0
    /// A confirmed face found on the last pass is looked for on one pass in this many (its
    /// predicted box stands in between, and the tracker counts no miss): following a face
    /// is about half of the cascade's work in a busy room. Faces take turns by id.
    public static let trackRestEvery = 2
    /// What the last pass searched (benchmarks, diagnostics).
    public private(set) var lastPass = DetectionPass()
    public private(set) var restedTracks: Set<Int> = []
    public private(set) var stillTracks: Set<Int> = []
    /// A confirmed face found on the last pass with no change in the picture around it (its
    /// box grown by stillMargin on each side, MotionGate.moved) is where it was: it rests
    /// on every pass until this many seconds after its last search, not just every other
    /// one. A still person costs a search (and a classification) a second; the first
    /// change around the face ends the rest.
    public static let stillRestSeconds = 1.0
    public static let stillMargin = 0.25
    private var lastTrackSearch: [Int: Double] = [:]   // track id -> source time of its last search
    private var passes = 0

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
        let fresh = scan.map { $0.plan.width != frame.width || $0.plan.height != frame.height } ?? true
        let scan = try rollingScan(width: frame.width, height: frame.height)
        var jobs: [DetectionJob]
        var motionRegions: [Box] = []
        var sceneCut = false
        var trackJobs = 0   // jobs[0..<trackJobs] search around followed faces
        restedTracks = []
        stillTracks = []
        if config.stills || !config.trackROI {
            // A photo has time; --no-track-roi is the baseline.
            jobs = [wholeFrameJob(scan.plan)]
        } else {
            // Motion around a face found on the last pass is that face (or its body) moving:
            // its track window follows it, so it does not call for the rolling scan.
            let explained = tracked.filter { $0.missed == 0 }.map { Self.personArea($0.box) }
            let motion = config.motionGate ? gate.update(frame.gray, explained: explained) : nil
            motionRegions = motion ?? []
            passes += 1
            let seenLastPass = tracked.filter { $0.confirmed && $0.missed == 0 }
            stillTracks = config.motionGate ? Set(seenLastPass.filter { !gate.moved(in: $0.box.expanded(by: Self.stillMargin)) }.map(\.id)) : []
            restedTracks = Set(seenLastPass.filter { t in
                if (passes + abs(t.id)) % Self.trackRestEvery != 0 { return true }
                guard stillTracks.contains(t.id), let last = lastTrackSearch[t.id] else { return false }
                return frame.time >= last && frame.time - last < Self.stillRestSeconds
            }.map(\.id))
            let searchedNow = tracked.filter { !restedTracks.contains($0.id) }
            jobs = searchedNow.compactMap { trackJob($0, plan: scan.plan) }
            trackJobs = jobs.count
            lastTrackSearch = lastTrackSearch.filter { id, _ in tracked.contains { $0.id == id } }
            for t in searchedNow { lastTrackSearch[t.id] = frame.time }
            let cut = config.motionGate && gate.changedFraction > Self.sceneCutFraction && frame.time - lastCut >= Self.minCutInterval
            if fresh || cut {
                if cut { lastCut = frame.time }
                // A new picture (start-up, a cut, a pan): nothing followed is known to be there;
                // search all of it now, and count every tile as searched.
                _ = scan.all(now: frame.time)
                jobs.append(wholeFrameJob(scan.plan))
                sceneCut = true
                restedTracks = []   // searched whole: a face not found now is missed
                stillTracks = []
                for t in tracked { lastTrackSearch[t.id] = frame.time }
            } else {
                jobs += scan.next(now: frame.time, motion: motion).map(\.job)
            }
        }
        let found = Self.byAuthority(try run(jobs, on: frame.gray), jobs: jobs, trackJobs: trackJobs)
        let faces = Self.withoutNested(Self.merged(found), in: tracked.filter(\.confirmed).map(\.box))
        let counts = jobs.map(windows)   // per job
        lastPass = DetectionPass(jobs: jobs.count, windows: counts.reduce(0, +), trackWindows: counts[..<trackJobs].reduce(0, +),
                                 motionRegions: motionRegions, boxes: found.count, sceneCut: sceneCut, faces: faces)
        return faces
    }

    /// The whole frame in one search, the cascade's own pyramid from --min-face / margin up:
    /// OpenCV's full-frame detection (the reference), a little finer at the bottom.
    func wholeFrameJob(_ plan: ScanPlan) -> DetectionJob {
        DetectionJob(region: Box(x: 0, y: 0, width: plan.width, height: plan.height),
                     minFace: Int(Double(plan.minFace) / RegionDetector.margin), maxFace: config.maxFaceSize, scale: plan.scale)
    }

    /// The search around one followed face: its predicted box grown by 0.4 of its size on
    /// each side, and by 0.3 more for each pass it was missed (up to 1.0: a face that jumped
    /// is looked for further out), for faces from 1/1.25 to 1.25 times its side (raw windows
    /// a margin beyond; a face's box is the mean of its neighbours' windows, and with raw
    /// windows only a margin either side the box lagged a growing face: IoU 0.46 on the test
    /// camera), at full size like the scan, with trackNeighborRelief fewer neighbours and the
    /// coarser trackScaleFactor.
    func trackJob(_ track: Track, plan: ScanPlan) -> DetectionJob? {
        let box = track.box
        let side = Double(max(box.width, box.height))
        let m = RegionDetector.margin
        let lo = max(Double(window), side / 1.25 / m), hi = min(Double(plan.maxFace) * m, side * 1.25 * m)
        guard hi >= lo else { return nil }
        let region = box.expanded(by: min(1.0, 0.4 + 0.3 * Double(track.missed))).clamped(to: plan.width, height: plan.height)
        guard !region.isEmpty else { return nil }
        return DetectionJob(region: region, minFace: Int(lo.rounded(.down)), maxFace: Int(hi.rounded(.up)), scale: plan.scale,
                            minNeighbors: max(1, config.minNeighbors - Self.trackNeighborRelief),
                            scaleFactor: max(config.scaleFactor, Self.trackScaleFactor))
    }

    /// Where a followed face's own movement shows: the face grown by half its height above,
    /// its width on each side (shoulders are 2.5-3 face widths wide), and its body, down to
    /// 3 face heights below it (elbows, hands in front of the chest).
    static func personArea(_ face: Box) -> Box {
        Box(x: face.x - face.width, y: face.y - face.height / 2, width: face.width * 3, height: face.height * 9 / 2)
    }

    /// Window positions the cascade evaluates for a job (RollingScan's unit), at the job's own
    /// pyramid step (a search around a followed face steps trackScaleFactor).
    private func windows(_ job: DetectionJob) -> Int {
        RegionDetector.windows(job, window: window, scaleFactor: job.scaleFactor ?? config.scaleFactor)
    }

    private func rollingScan(width: Int, height: Int) throws(CamError) -> RollingScan {
        if let scan, scan.plan.width == width, scan.plan.height == height { return scan }
        let minFace = smallestFace(frameWidth: width)
        guard minFace <= min(width, height) else {
            throw .usage("--min-face \(config.minFaceSize) is larger than the \(width)x\(height) frame"
                         + (minFace != config.minFaceSize ? " (raised to \(minFace) by --detect-width \(config.detectWidth))" : "")
                         + "; use a --min-face of at most \(min(width, height))")
        }
        let scale = config.detectWidth > 0 && width > config.detectWidth ? Double(config.detectWidth) / Double(width) : 1
        let plan = ScanPlan(width: width, height: height, minFace: minFace, maxFace: config.maxFaceSize, window: window,
                            scaleFactor: config.scaleFactor, scale: scale)
        let made = RollingScan(plan: plan, busyPeriod: config.busyScanPeriod, stillPeriod: config.stillScanPeriod)
        scan = made
        var line = "detection: " + plan.summary
        if minFace != config.minFaceSize { line += " (--detect-width \(config.detectWidth) raises --min-face \(config.minFaceSize) to \(minFace))" }
        if config.stills || !config.trackROI {
            line += "; the whole frame on every pass"
        } else {
            line += "; the first frame and each scene cut searched whole, then a full scan every \(config.busyScanPeriod) s while something moves"
                + (config.motionGate ? ", every \(config.stillScanPeriod) s in a still scene" : " (no motion gate)")
        }
        onPlan?(line)
        return made
    }

    /// Runs the jobs, on one thread or spread over the searchers (largest jobs first), and
    /// returns each job's boxes, in job order either way (so merging keeps the same ones).
    private func run(_ jobs: [DetectionJob], on gray: GrayImage) throws(CamError) -> [[Box]] {
        if searchers.count == 1 || jobs.count < 2 {
            var out: [[Box]] = []
            for j in jobs { out.append(try searchers[0].detect(gray, j)) }
            return out
        }
        // Deal the jobs (by index) so each thread gets about the same cascade windows.
        var lanes = [[Int]](repeating: [], count: searchers.count)
        var load = [Int](repeating: 0, count: searchers.count)
        for i in jobs.indices.sorted(by: { windows(jobs[$0]) > windows(jobs[$1]) }) {
            let k = load.indices.min { load[$0] < load[$1] }!
            lanes[k].append(i)
            load[k] += windows(jobs[i])
        }
        let results = ResultBox(count: jobs.count)
        let searchers = self.searchers, dealt = lanes
        DispatchQueue.concurrentPerform(iterations: searchers.count) { k in
            for i in dealt[k] {
                results.set(i, Result { () throws(CamError) -> [Box] in try searchers[k].detect(gray, jobs[i]) })
            }
        }
        var all: [[Box]] = []
        for r in results.all { all.append(try r.get()) }
        return all
    }

    /// The boxes of all jobs in the order merging should prefer them (earlier wins): those of
    /// the searches around followed faces; then scan boxes whose side lies in their own job's
    /// face range; last the boxes a band found in its margin (raw windows beyond its faces,
    /// there to give a border face its neighbours). A margin box is the neighbouring band's
    /// face seen from too coarse or too fine a pyramid: on the synthetic camera a 181-px face
    /// came back 236 px from the band for faces of 270 px and more, while the band that owns
    /// 181 px found it at 180. A margin box stays when nothing better found the face.
    static func byAuthority(_ found: [[Box]], jobs: [DetectionJob], trackJobs: Int) -> [Box] {
        var first: [Box] = [], owned: [Box] = [], margin: [Box] = []
        for (i, boxes) in found.enumerated() {
            for b in boxes {
                if i < trackJobs { first.append(b) } else if jobs[i].owns(side: max(b.width, b.height)) { owned.append(b) } else { margin.append(b) }
            }
        }
        return first + owned + margin
    }

    /// One box per face: a box that overlaps a kept one by IoU > 0.3, or whose centre lies
    /// inside a kept box of a similar size (the same face found by two searches at two
    /// scales) is dropped; earlier boxes win (track windows come first).
    static func merged(_ boxes: [Box]) -> [Box] {
        func same(_ a: Box, _ b: Box) -> Bool {
            if a.iou(b) > 0.3 { return true }
            let (cx, cy) = b.center
            let inside = a.contains(x: cx, y: cy)
            let ratio = Double(max(a.width, b.width)) / Double(max(1, min(a.width, b.width)))
            return inside && ratio < 1.6
        }
        var kept: [Box] = []
        for b in boxes where !kept.contains(where: { same($0, b) }) { kept.append(b) }
        return kept
    }
}

extension HaarFaceDetector {
    /// Drops a box that lies inside one at least 1.5 times its side (found on this pass, or a
    /// followed face; a box of the same face is never that much larger),
    /// within a fifth of the larger one's side: OpenCV's full-frame detection drops those
    /// (a face does not hold a smaller face; it is a false hit on cheek, ear or collar), but
    /// split into bands and tiles the two never meet in one search. Which of the two is the
    /// false hit OpenCV decides by their neighbours; here a followed face decides: a box of a
    /// followed face stays whatever holds it, and a new box that holds a followed face goes
    /// (on group-1080p one tile's 259-px false hit held two followed 54-px faces and ended
    /// both tracks).
    static func withoutNested(_ boxes: [Box], in followed: [Box] = []) -> [Box] {
        let containers = boxes + followed
        return boxes.filter { b in
            if followed.contains(where: { $0.iou(b) > 0.3 }) { return true }
            if followed.contains(where: { holds(b, $0) }) { return false }
            return !containers.contains { holds($0, b) }
        }
    }

    /// `outer` is at least 1.5 times `inner`'s side and holds it to within a fifth of its own side.
    private static func holds(_ outer: Box, _ inner: Box) -> Bool {
        let dx = outer.width / 5, dy = outer.height / 5
        return 2 * outer.width >= 3 * inner.width && inner.x >= outer.x - dx && inner.y >= outer.y - dy
            && inner.maxX <= outer.maxX + dx && inner.maxY <= outer.maxY + dy
    }
}

/// What one detection pass did.
public struct DetectionPass: Sendable, Equatable {
    public var jobs = 0
    /// Window positions the cascade evaluated, summed over the searches (RegionDetector.windows).
    public var windows = 0
    /// ... of which in the searches around followed faces.
    public var trackWindows = 0
    /// Where the motion gate saw change no followed face explains (frame pixels).
    public var motionRegions: [Box] = []
    /// Boxes found before merging duplicates.
    public var boxes = 0
    /// Most of the picture changed at once: the whole frame was searched.
    public var sceneCut = false
    /// The faces returned (after merging), for benchmarks' per-frame dumps.
    public var faces: [Box] = []
}

/// Per-job results of a parallel pass.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Box], CamError>]
    init(count: Int) { results = Array(repeating: .success([]), count: count) }
    func set(_ i: Int, _ r: Result<[Box], CamError>) { lock.lock(); results[i] = r; lock.unlock() }
    var all: [Result<[Box], CamError>] { lock.lock(); defer { lock.unlock() }; return results }
}

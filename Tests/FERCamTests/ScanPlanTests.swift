// ScanPlan and RollingScan: every face size lies whole in some tile of a band
// that searches it, and the tiles together find what the full-frame cascade
// finds on real photos; the rolling scan covers the whole frame within its period,
// spreads the cost (no frame pays for a whole scan), slows down in a still
// scene and searches where motion was first.
import Testing
@testable import FERCam
import FERVision

@Suite struct ScanPlanTests {
    private let plan = ScanPlan(width: 1920, height: 1080, minFace: 30, maxFace: 0, window: 24)

    @Test func everyFaceLiesWholeInATileThatSearchesItsSize() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let side = Int.random(in: 30...1080, using: &rng)
            let face = Box(x: Int.random(in: 0...(1920 - side), using: &rng), y: Int.random(in: 0...(1080 - side), using: &rng),
                           width: side, height: side)
            let covering = plan.tiles.contains { t in
                t.job.minFace <= side && side <= t.job.maxFace && t.job.region.intersection(face) == face
            }
            #expect(covering, "a \(side)-px face at \(face) is in no tile searching its size")
        }
    }

    @Test func bandsReachAMarginBeyondTheirFacesAtFullSize() {
        let finest = plan.tiles.filter { $0.band == 0 }
        #expect(finest.allSatisfy { $0.job.minFace == 24 }, "30-px faces need windows from 30 / 1.25 = the cascade's 24")
        #expect(plan.tiles.allSatisfy { $0.job.scale == 1 }, "no --detect-width cap: full size")
        // Neighbouring bands share raw window sizes (margin on both sides of their border).
        let bands = Dictionary(grouping: plan.tiles, by: \.band).values.map { $0[0].job }.sorted { $0.minFace < $1.minFace }
        for (a, b) in zip(bands, bands.dropFirst()) { #expect(b.minFace < a.maxFace, "bands \(a) and \(b) do not overlap") }
        #expect(plan.maxFace == 1080)
        #expect(plan.totalCost == plan.tiles.reduce(0) { $0 + $1.cost })
        // The coarse bands cost little next to the finest one.
        let fine = finest.reduce(0) { $0 + $1.cost }
        #expect(Double(fine) > 0.6 * Double(plan.totalCost), "finest band \(fine) of \(plan.totalCost)")
        let small = ScanPlan(width: 640, height: 480, minFace: 60, maxFace: 120, window: 24)
        #expect(small.tiles.allSatisfy { $0.job.maxFace <= 150 && $0.job.minFace >= 48 }, "60-120 px and its margin")
    }
}

/// The plan's tiles, each searched on its own, find the faces OpenCV's full-frame detection
/// finds (the reference fer-bench recall measures against). A borderline face, one the
/// full-frame cascade itself loses when the picture moves by a pixel (its hits depend on
/// where the window lands on the cascade's grid, which a tile shifts), may be missed.
@Suite struct ScanPlanSearchTests {
    @Test(arguments: ["faces.jpg", "two_people.jpg", "obama-720p.jpg", "surprised.jpg"])
    func theTilesFindWhatTheFullFrameCascadeFinds(photo: String) throws {
        let gray = try ImageCodec.decode(path: try TestPaths.requireMedia(photo)).gray()
        let cascade = try CascadeDetector(path: TestPaths.cascade)
        func reference(_ image: GrayImage) throws -> [Box] { try cascade.detect(image, scaleFactor: 1.1, minNeighbors: 5, minSize: 30) }
        let full = try reference(gray)
        #expect(!full.isEmpty, "\(photo): the full-frame cascade found no face")
        // Faces the full-frame cascade still finds with the picture moved by a pixel or two.
        var stable = full
        for (dx, dy) in [(1, 0), (0, 1), (2, 2)] {
            let moved = try reference(try gray.crop(Box(x: dx, y: dy, width: gray.width - dx, height: gray.height - dy)))
            stable = stable.filter { r in moved.contains { Box(x: $0.x + dx, y: $0.y + dy, width: $0.width, height: $0.height).iou(r) >= 0.5 } }
        }
        let searcher = RegionDetector(cascade: cascade, scaleFactor: 1.1, minNeighbors: 5)
        let plan = ScanPlan(width: gray.width, height: gray.height, minFace: 30, maxFace: 0, window: searcher.window)
        var found: [Box] = []
        for tile in plan.tiles { found += try searcher.detect(gray, tile.job) }
        let merged = HaarFaceDetector.merged(found)
        for r in stable {
            #expect(merged.contains { $0.iou(r) >= 0.5 }, "\(photo): \(r) of the full-frame cascade is missing from the tiles' \(merged)")
        }
        #expect(2 * stable.count >= full.count, "\(photo): most faces are not borderline: \(stable.count) of \(full.count)")
    }
}

@Suite struct RollingScanTests {
    private let plan = ScanPlan(width: 1920, height: 1080, minFace: 30, maxFace: 0, window: 24)
    private let fps = 25.0

    @Test(arguments: [false, true])
    func motionEverywhereIsCoveredWithinTheBusyPeriodWithoutAStall(gate: Bool) {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var searched = Set<ScanTile.ID>()
        var worst = 0
        let frames = Int(2.2 * fps)   // the period, and a little for the last tile's overshoot
        for f in 0...frames {
            // With a gate, motion all over the frame; without one (nil), every tile counts as changed.
            let picked = scan.next(now: Double(f) / fps, motion: gate ? [Box(x: 0, y: 0, width: 1920, height: 1080)] : nil)
            worst = max(worst, picked.reduce(0) { $0 + $1.cost })
            picked.forEach { searched.insert($0.id) }
        }
        #expect(searched.count == plan.tiles.count, "\(searched.count) of \(plan.tiles.count) tiles searched in 2.2 s")
        let share = Double(plan.totalCost) / (2 * fps) + Double(plan.totalCost) / (15 * fps)
        let biggest = plan.tiles.map(\.cost).max()!
        #expect(Double(worst) <= 2 * (share + Double(biggest)), "one frame searched \(worst) windows; share \(share), biggest tile \(biggest)")
    }

    @Test func motionInOneCornerCostsLittleOnceTheFirstScanIsDone() {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var t = 0.0
        while t < 2.5 { _ = scan.next(now: t, motion: []); t += 1 / fps }   // the first full scan
        var cost = 0
        let start = t
        let corner = Box(x: 0, y: 0, width: 100, height: 100)
        while t < start + 5 { cost += scan.next(now: t, motion: [corner]).reduce(0) { $0 + $1.cost }; t += 1 / fps }
        // The busy pace would search 2.5 full scans in 5 s; motion in a corner costs the tiles
        // there (every band's) every RollingScan.minRescan, plus the still pace.
        let busy = 5 / 2 * Double(plan.totalCost)
        #expect(Double(cost) < 0.5 * busy, "5 s of motion in a corner searched \(cost), the busy pace \(busy)")
    }

    @Test func aStillSceneIsScannedAtTheSlowPace() {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var t = 0.0
        // The first full scan (tiles never searched) runs at the busy pace, then the still pace.
        while t < 3 { _ = scan.next(now: t, motion: []); t += 1 / fps }
        var cost = 0
        let start = t
        while t < start + 7.5 { cost += scan.next(now: t, motion: []).reduce(0) { $0 + $1.cost }; t += 1 / fps }
        let half = Double(plan.totalCost) / 2
        #expect(Double(cost) > 0.8 * half && Double(cost) < 1.2 * half, "7.5 s of a 15-s still period searched \(cost) of \(plan.totalCost)")
    }

    @Test func motionEverywhereCostsTheBusyPaceAlone() {
        // The urgent scans keep every tile fresh: the routine (still) pace adds nothing on top.
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var cost = 0
        var t = 0.0
        while t < 10 { cost += scan.next(now: t, motion: [Box(x: 0, y: 0, width: 1920, height: 1080)]).reduce(0) { $0 + $1.cost }; t += 1 / fps }
        let scans = Double(cost) / Double(plan.totalCost)
        #expect(scans > 4.5 && scans < 5.25, "10 s of motion everywhere searched \(scans) full scans; the busy pace is 5 (and 0.67 more would be the still pace on top)")
    }

    @Test(arguments: [nil, Box(x: 0, y: 0, width: 800, height: 1080)])
    func everyTileIsSearchedWithinTheStillPeriod(moving: Box?) {
        // A still scene, or motion over the left part only: every tile, moving or not, is
        // searched again within stillPeriod of its last search (a still face is found in time).
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var last = [ScanTile.ID: Double]()
        var worst = 0.0
        var t = 0.0
        while t < 60 {
            for tile in scan.next(now: t, motion: moving.map { [$0] } ?? []) where !tile.partial {
                worst = max(worst, t - (last[tile.id] ?? 0))
                last[tile.id] = t
            }
            t += 1 / fps
        }
        for tile in plan.tiles { worst = max(worst, t - (last[tile.id] ?? 0)) }
        #expect(last.count == plan.tiles.count)
        #expect(worst <= 15, "a tile went \(worst) s unsearched; the still period is 15 s")
    }

    @Test func tilesWhereSomethingMovedGoFirst() {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        var t = 0.0
        // Everything searched once, more than RollingScan.minRescan ago.
        while t < 2 + 2 * RollingScan.minRescan { _ = scan.next(now: t, motion: []); t += 1 / fps }
        let moving = Box(x: 1500, y: 800, width: 40, height: 40)
        var firstPicks = scan.next(now: t, motion: [moving])

        for k in 1...25 { firstPicks += scan.next(now: t + Double(k) / fps, motion: []) }
        let there = plan.tiles.filter { !$0.job.region.intersection(moving).isEmpty }
        #expect(!there.isEmpty)
        for tile in there {
            // Every face of the band over the moving spot lies whole inside the part searched.
            let need = moving.grown(by: tile.reach).intersection(tile.job.region)
            #expect(firstPicks.contains { $0.index == tile.index && $0.job.region.intersection(need) == need },
                    "after motion at \(moving), tile \(tile.index) \(tile.job.region) is searched over \(need) within 1 s (a tile is searched at most every RollingScan.minRescan)")
        }
    }

    /// Motion in a small spot searches only around it, in each tile the spot's faces could
    /// reach: a part of the tile, at a part of its cost, and it does not count as the tile's
    /// whole search (the routine, which owes those, searches whole tiles).
    @Test func aSmallMovingSpotIsSearchedAroundItNotInWholeTiles() {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        _ = scan.all(now: 0)
        let spot = Box(x: 900, y: 500, width: 48, height: 64)
        var picks: [ScanTile] = []
        var t = 1.0 / fps
        while t < 1.2 { picks += scan.next(now: t, motion: [spot]); t += 1 / fps }
        let near = plan.tiles.filter { $0.band == 0 && !$0.job.region.intersection(spot).isEmpty }
        let parts = picks.filter(\.partial)
        #expect(!near.isEmpty && near.allSatisfy { t in parts.contains { $0.index == t.index } }, "the spot was not searched for small faces: \(parts)")
        for p in parts where p.band == 0 {
            let tile = plan.tiles[p.index]
            #expect(p.cost < tile.cost / 3, "tile \(p.index): searched \(p.job.region) for \(p.cost) of its \(tile.cost) windows")
            #expect(p.job.region.intersection(spot.grown(by: tile.reach)) == p.job.region, "searched \(p.job.region) beyond the spot's reach")
        }
    }

    @Test func allSearchesEveryTile() {
        let scan = RollingScan(plan: plan, busyPeriod: 2, stillPeriod: 15)
        #expect(scan.all(now: 0).count == plan.tiles.count)
    }
}

extension ScanTile {
    /// Tiles are unique by region and band.
    struct ID: Hashable { let x, y, w, h, band: Int }
    var id: ID { ID(x: job.region.x, y: job.region.y, w: job.region.width, h: job.region.height, band: band) }
}

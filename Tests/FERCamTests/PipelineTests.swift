// The threaded pipeline: files lose no frame, a live source that outruns
// inference drops (and counts) the oldest, a sink can stop the run, and
// every run ends with `end` for open tracks.
import Foundation
import Testing
@testable import FERCam
import FERVision

/// A source of blank frames; live or not, optionally with a delay per frame.
final class CountingSource: FrameSource, @unchecked Sendable {
    let name = "counting"
    var summary: String { "counting source" }
    let isLive: Bool
    var nominalFPS: Double? { nil }
    private let total: Int
    private var index = 0
    private let lock = NSLock()
    private var stopped = false
    init(total: Int, live: Bool) { self.total = total; self.isLive = live }
    func next() throws(CamError) -> Frame? {
        lock.lock(); defer { lock.unlock() }
        guard !stopped, index < total else { return nil }
        defer { index += 1 }
        return blankFrame(index: index)
    }
    func interrupt() { lock.lock(); stopped = true; lock.unlock() }
}

/// A detector that takes its time (a slow inference stage).
final class SlowDetector: FaceDetector {
    let delay: useconds_t
    init(delayMs: Int) { delay = useconds_t(delayMs * 1000) }
    func detect(_ frame: Frame, tracked: [Track]) throws(CamError) -> [Box] {
        usleep(delay)
        return [Box(x: 4, y: 4, width: 20, height: 20)]
    }
}

final class FailingSource: FrameSource {
    let name = "failing"
    var summary: String { "fails after 3 frames" }
    var isLive: Bool { true }
    var nominalFPS: Double? { nil }
    private var index = 0
    func next() throws(CamError) -> Frame? {
        index += 1
        if index > 3 { throw .deviceUnavailable("failing: camera stopped delivering") }
        return blankFrame(index: index - 1)
    }
    func interrupt() {}
}

@Suite struct PipelineTests {
    private func pipeline(_ source: FrameSource, detector: FaceDetector, sinks: [DetectionSink], ring: Int = 2) -> Pipeline {
        var c = PipelineConfig()
        c.detection.interval = 1
        c.tracker.minHits = 1   // threading and ordering tests: a face starts on its first detection
        c.ringCapacity = ring
        return Pipeline(source: source, processor: FrameProcessor(detector: detector, classifier: FakeClassifier(), config: c),
                        sinks: sinks, config: c)
    }

    @Test func aFileSourceLosesNoFrame() throws {
        let sink = MemorySink()
        let p = pipeline(CountingSource(total: 40, live: false), detector: SlowDetector(delayMs: 2), sinks: [sink])
        try p.run()
        #expect(sink.frames == 40)
        #expect(p.health.framesDropped == 0)
        #expect(p.health.state == .finished)
        checkOrder(sink.events)
    }

    @Test func aLiveSourceThatOutrunsInferenceDropsTheOldest() throws {
        let sink = MemorySink()
        let p = pipeline(CountingSource(total: 300, live: true), detector: SlowDetector(delayMs: 5), sinks: [sink], ring: 2)
        try p.run()
        let h = p.health
        #expect(h.framesCaptured == 300)
        #expect(h.framesDropped > 0, "a fast live source must drop frames")
        #expect(h.framesProcessed + h.framesDropped == 300)
        #expect(sink.frames == h.framesProcessed)
        checkOrder(sink.events)
    }

    @Test func aSinkCanStopTheRunAndTracksStillEnd() throws {
        let sink = MemorySink()
        sink.stopAfter = 5
        let p = pipeline(CountingSource(total: 10_000, live: false), detector: SlowDetector(delayMs: 1), sinks: [sink])
        try p.run()
        #expect(p.health.framesProcessed < 10_000)
        #expect(sink.events.first?.kind == .start)
        #expect(sink.events.last?.kind == .end)
    }

    @Test func stopFromAnotherThreadEndsTheRun() throws {
        let sink = MemorySink()
        let p = pipeline(CountingSource(total: Int.max, live: true), detector: SlowDetector(delayMs: 1), sinks: [sink])
        let t = Thread { usleep(200_000); p.stop() }
        t.start()
        try p.run()
        #expect(sink.events.last?.kind == .end)
        #expect(p.health.state == .finished)
    }

    @Test func aFailingSourceIsReportedAfterTheFinalEvents() {
        let sink = MemorySink()
        let p = pipeline(FailingSource(), detector: SlowDetector(delayMs: 0), sinks: [sink])
        do { try p.run(); Issue.record("no error") } catch {
            #expect(error.exitCode == 69)
            #expect(error.message.contains("stopped delivering"))
        }
        #expect(sink.events.last?.kind == .end, "open tracks are closed even when the source fails")
        if case .failed = p.health.state {} else { Issue.record("state \(p.health.state)") }
    }

    @Test func startRunsInTheBackgroundAndReportsTheOutcome() throws {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Void, CamError>?
        nonisolated(unsafe) var frames = 0
        let sink = ClosureSink(onResult: { _ in frames += 1; return .proceed })
        let p = pipeline(CountingSource(total: Int.max, live: true), detector: SlowDetector(delayMs: 1), sinks: [sink])
        p.start { outcome = $0; done.signal() }
        usleep(200_000)
        #expect(p.health.state == .running)
        #expect(p.health.framesProcessed > 0)
        p.stop()
        #expect(done.wait(timeout: .now() + 5) == .success)
        if case .success = outcome {} else { Issue.record("outcome \(String(describing: outcome))") }
        #expect(frames == p.health.framesProcessed)
        #expect(p.health.openTracks == 0)
    }

    @Test func statsKeepOnlyTheMostRecentSamples() {
        var w = SampleWindow<Int>(capacity: 3)
        for i in 1...2 { w.append(i) }
        #expect(w.values == [1, 2])
        for i in 3...7 { w.append(i) }
        #expect(w.values == [5, 6, 7])
    }

    private func checkOrder(_ events: [DetectionEvent]) {
        var open = Set<Int>()
        for e in events {
            switch e.kind {
            case .start: #expect(open.insert(e.track).inserted)
            case .update: #expect(open.contains(e.track))
            case .end: #expect(open.remove(e.track) != nil)
            }
        }
        #expect(open.isEmpty)
    }
}

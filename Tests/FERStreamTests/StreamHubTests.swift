// StreamHub without a server: latest-frame slots, bounded history, faces, health.
import Testing
@testable import FERStream

struct StreamHubTests {
    @Test func aViewerThatDoesNotReadKeepsOnlyTheNewestFrame() async {
        let hub = StreamHub()
        let (frames, _) = hub.subscribeFrames()
        #expect(hub.viewerCount == 1)
        for i in 0..<10 { hub.publishFrame(jpeg: [0xFF, 0xD8, UInt8(i), 0xFF, 0xD9], index: i, timestamp: Double(i)) }
        #expect(hub.framesSkipped == 9)
        var iterator = frames.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.index == 9)
        #expect(first.map { Array($0.jpeg.readableBytesView) } == [0xFF, 0xD8, 9, 0xFF, 0xD9])
        hub.publishFrame(jpeg: [1], index: 10, timestamp: 10)
        #expect(await iterator.next()?.index == 10)
    }

    @Test func theMultipartPartWrapsTheJPEGOnce() throws {
        let frame = EncodedFrame(jpeg: [0xFF, 0xD8, 0xFF, 0xD9], index: 3, timestamp: 0.5, publishedAt: .now)
        let text = String(decoding: frame.part.readableBytesView, as: UTF8.self)
        #expect(text.hasPrefix("--ferframe\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\nX-Frame-Index: 3\r\n"))
        #expect(Array(frame.part.readableBytesView.suffix(6)) == [0xFF, 0xD8, 0xFF, 0xD9, 13, 10])
        #expect(Array(frame.jpeg.readableBytesView) == [0xFF, 0xD8, 0xFF, 0xD9])
    }

    @Test func aNewViewerGetsTheLatestFrameAtOnceAndIsRemovedWhenItGoesAway() async {
        let hub = StreamHub()
        hub.publishFrame(jpeg: [1, 2], index: 4, timestamp: 0)
        do {
            let (frames, _) = hub.subscribeFrames()
            var iterator = frames.makeAsyncIterator()
            #expect(await iterator.next()?.index == 4)
        }
        #expect(hub.viewerCount == 0)
    }

    @Test func eventHistoryIsBoundedAndResumesAfterAnID() async {
        let hub = StreamHub()
        var ids: [Int] = []
        for n in 0..<80 { ids.append(hub.publishEvent(json: "{\"n\":\(n)}")) }
        #expect(ids == Array(1...80))
        func plainEvents(after id: Int?) async -> [String] {
            let (stream, _) = hub.subscribeEvents(after: id)
            var out: [String] = []
            for await chunk in stream {
                let text = String(decoding: chunk.readableBytesView, as: UTF8.self)
                if text.hasPrefix("id: ") { out.append(text) }
                if text.contains("\"n\":79") { break }
            }
            return out
        }
        let all = await plainEvents(after: nil)
        #expect(all.count == 50, "only the last 50 are kept")
        #expect(all.first == "id: 31\ndata: {\"n\":30}\n\n")
        let resumed = await plainEvents(after: 77)
        #expect(resumed.map { $0.prefix(6) } == ["id: 78", "id: 79", "id: 80"])
    }

    @Test func facesWithNonFiniteNumbersStillGiveValidJSON() {
        let json = StreamHub.facesJSON([FaceSnapshot(trackID: 1, box: [1, 2, 3, 4], emotion: "fear", score: .nan,
                                                     probabilities: [.infinity, 0, 1, 0, 0, 0, 0]).sanitized],
                                       labels: ["a"])
        #expect(json == #"{"faces":[{"box":[1,2,3,4],"emotion":"fear","probabilities":[0,0,1,0,0,0,0],"score":0,"track_id":1}],"labels":["a"]}"#)
    }

    @Test func healthFollowsCameraStateAndFrameAge() {
        var config = StreamHub.Configuration()
        config.staleAfterSeconds = 2
        let hub = StreamHub(configuration: config)
        #expect(!hub.health().isHealthy)
        #expect(hub.health().problem == "no frame yet (camera starting)")
        hub.publishFrame(jpeg: [1], index: 0, timestamp: 0)
        #expect(hub.camera == .streaming, "the first frame ends .starting")
        #expect(hub.health().isHealthy)
        #expect(!hub.health(now: .now + .seconds(3)).isHealthy)
        #expect(hub.health(now: .now + .seconds(3)).problem?.hasPrefix("no frame for 3") == true)
        hub.setCamera(state: .lost("EIO"))
        hub.publishFrame(jpeg: [1], index: 1, timestamp: 0)
        #expect(hub.camera == .lost("EIO"), "a late frame does not hide a lost camera")
        #expect(hub.health().problem == "camera lost: EIO")
    }

    @Test func aStalledCameraStillResendsTheLastFrameAndEventClientsGetKeepalives() async {
        let hub = StreamHub()
        hub.publishFrame(jpeg: [7], index: 5, timestamp: 0)
        let (frames, _) = hub.subscribeFrames()
        var iterator = frames.makeAsyncIterator()
        #expect(await iterator.next()?.index == 5)
        hub.tick(now: .now)  // the frame is fresh: nothing resent
        hub.publishFrame(jpeg: [8], index: 6, timestamp: 0)
        #expect(await iterator.next()?.index == 6, "the next frame, not a resend")
        hub.tick(now: .now + .seconds(2))
        #expect(await iterator.next()?.index == 6, "resent after a second without frames")

        let (events, _) = hub.subscribeEvents(after: nil)
        for _ in 0..<10 { hub.tick(now: .now) }
        var texts: [String] = []
        for await chunk in events {
            texts.append(String(decoding: chunk.readableBytesView, as: UTF8.self))
            if texts.last?.hasPrefix(":") == true { break }
        }
        #expect(texts.last == ": keepalive\n\n")
    }

    @Test func stageHistogramsAreBoundedInNumber() {
        let hub = StreamHub()
        for n in 0..<(StreamMetrics.maxStages + 5) { hub.recordStage("s\(n)", seconds: 0.001) }
        let text = hub.metricsText()
        #expect(text.contains("stage=\"s\(StreamMetrics.maxStages - 1)\""))
        #expect(!text.contains("stage=\"s\(StreamMetrics.maxStages)\""))
    }
}

// StreamServer's limits over real loopback sockets: the client beyond --stream-max-clients
// gets 503 with Retry-After (counted in /metrics) while short requests are still served, a
// freed slot is reused, idle connections are closed (but not a streaming viewer), and a
// viewer that stopped reading is closed and its slot freed.
import Foundation
import Testing
@testable import FERStream

@Suite(.serialized, .timeLimit(.minutes(2)))
struct StreamServerLimitTests {
    private func metrics(_ port: Int) async throws -> [String: Double] {
        let response = try await onThread { try httpGet(port: port, "/metrics") }
        #expect(response.status == 200)
        let samples = try PrometheusTextChecker.parse(response.text).samples
        return Dictionary(samples.filter { $0.labels.isEmpty }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func theClientBeyondTheLimitGets503AndAFreedSlotIsReused() async throws {
        let hub = StreamHub()
        hub.publishFrame(jpeg: TestJPEG.green32x24, index: 0, timestamp: 0)
        try await withServer(hub: hub, limits: StreamLimits(maxClients: 2)) { server, port in
            let viewer = try await onThread { () -> MJPEGReader in
                let reader = try MJPEGReader(port: port)
                _ = try reader.nextPart()
                return reader
            }
            let events = try await onThread { try SSEReader(port: port) }
            #expect(server.clientCount == 2)

            let (video, sse, page, health, snapshot) = try await onThread {
                (try httpGet(port: port, "/stream.mjpg"), try httpGet(port: port, "/events"), try httpGet(port: port, "/"),
                 try httpGet(port: port, "/healthz"), try httpGet(port: port, "/snapshot.jpg"))
            }
            for refused in [video, sse] {
                #expect(refused.status == 503)
                #expect(refused.headers["retry-after"] == "5")
                #expect(refused.text.contains("too many stream clients") && refused.text.contains("--stream-max-clients"), "\(refused.text)")
            }
            let shortStatuses: [Int] = [page.status, health.status, snapshot.status]
            #expect(shortStatuses == [200, 200, 200], "short requests are never refused")

            let full = try await metrics(port)
            #expect(full["fer_stream_clients_refused_total"] == 2)
            #expect(full["fer_stream_clients"] == 2)
            #expect(full["fer_stream_clients_max"] == 2)

            viewer.connection.abort()
            #expect(await eventually { server.clientCount == 1 && hub.viewerCount == 0 }, "slots in use: \(server.clientCount)")
            let part = try await onThread { try MJPEGReader(port: port).nextPart() }
            #expect(part.body == TestJPEG.green32x24, "a new viewer takes the freed slot")
            let after = try await metrics(port)
            #expect(after["fer_stream_clients_refused_total"] == 2)
            _ = events
        }
    }

    @Test func anIdleConnectionIsClosedButAStreamingViewerIsNot() async throws {
        let hub = StreamHub()
        let feeder = Feeder(hub: hub, jpeg: TestJPEG.green32x24, interval: 0.05)
        defer { feeder.stop() }
        var limits = StreamLimits()
        limits.idleTimeout = .milliseconds(500)
        try await withServer(hub: hub, limits: limits) { server, port in
            let viewer = try await onThread { () -> MJPEGReader in
                let reader = try MJPEGReader(port: port)
                _ = try reader.nextPart()
                return reader
            }
            let endings = try await onThread { () -> [String] in
                let silent = try TestConnection(port: port, timeout: 20)            // connects, never asks
                let partial = try TestConnection(port: port, timeout: 20)           // never finishes its request head
                try partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                let kept = try TestConnection(port: port, timeout: 20)              // keep-alive, then silent
                try kept.sendRequest("/healthz")
                try kept.readHead()
                _ = try kept.readBody()
                var endings: [String] = []
                for c in [silent, partial] {
                    do { try c.readHead(); endings.append("answered \(c.status)") } catch { endings.append("\(error)") }
                }
                endings.append((try? kept.readMore()) == false ? "closed" : "still open")
                return endings
            }
            #expect(endings == ["connection closed before the response head", "connection closed before the response head", "closed"])
            // The idle timeout has passed by now; the viewer connected before it is still served.
            let part = try await onThread { try viewer.nextPart() }
            #expect(part.body == TestJPEG.green32x24)
            #expect(server.clientCount == 1)
        }
    }

    @Test func aViewerThatStopsReadingIsClosedAndItsSlotFreed() async throws {
        let hub = StreamHub()
        let frame = TestJPEG.padded(TestJPEG.green32x24, to: 200_000)  // fills the stalled viewer's socket in a few frames
        let feeder = Feeder(hub: hub, jpeg: frame, interval: 0.02)
        defer { feeder.stop() }
        var limits = StreamLimits(maxClients: 1)
        limits.stalledAfter = .seconds(1)
        try await withServer(hub: hub, limits: limits) { server, port in
            let stalled = try await onThread { try MJPEGReader(port: port, receiveBuffer: 4096) }  // never reads
            #expect(server.clientCount == 1)
            #expect(await eventually(timeout: 30) { server.clientCount == 0 && hub.viewerCount == 0 },
                    "the stalled viewer still holds its slot (\(server.clientCount) clients, \(hub.viewerCount) viewers)")
            #expect(try await metrics(port)["fer_stream_clients_stalled_total"] == 1)
            let sizes = try await onThread {
                let reader = try MJPEGReader(port: port)
                return try (0..<3).map { _ in try reader.nextPart().body.count }
            }
            #expect(sizes == [200_000, 200_000, 200_000], "a reading viewer gets the freed slot and keeps it")
            #expect(try await metrics(port)["fer_stream_clients_stalled_total"] == 1)
            _ = stalled
        }
    }
}

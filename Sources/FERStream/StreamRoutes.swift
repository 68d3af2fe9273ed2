// StreamRoutes: the HTTP endpoints — / (page), /stream.mjpg, /events, /snapshot.jpg,
// /metrics, /healthz — as handlers over a StreamHub. Streaming handlers hold no frame
// queue: each viewer pulls the newest frame when its socket has room. /stream.mjpg and
// /events first take a slot from the ClientGate (503 with Retry-After when none is free);
// the other endpoints answer at once and are never refused.
import Hummingbird

struct StreamRoutes: Sendable {
    let hub: StreamHub
    /// Minimum time between two frames to one viewer; nil sends every frame.
    let frameInterval: Duration?
    /// "?token=..." appended to the page's sub-resource URLs; "" without a token.
    let tokenQuery: String
    /// Admits long-lived clients (MJPEG and /events) up to the limit.
    let gate: ClientGate
    /// The Retry-After seconds of a refusal.
    let retryAfterSeconds: Int

    static let paths: Set<String> = ["/", "/stream.mjpg", "/events", "/snapshot.jpg", "/metrics", "/healthz"]

    func register(on router: Router<StreamRequestContext>) {
        router.get("/") { _, _ in self.page() }
        router.get("/stream.mjpg") { _, context in self.mjpeg(context) }
        router.get("/events") { request, context in self.events(request, context) }
        router.get("/snapshot.jpg") { _, _ in self.snapshot() }
        router.get("/metrics") { _, _ in self.metrics() }
        router.get("/healthz") { _, _ in self.health() }
    }

    func page() -> Response {
        let html = StreamPage.html(tokenQuery: tokenQuery)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func mjpeg(_ context: StreamRequestContext) -> Response {
        guard let slot = admit(context) else { return refused() }
        let hub = self.hub, interval = self.frameInterval
        let headers: HTTPFields = [
            .contentType: EncodedFrame.contentType, .cacheControl: "no-store, no-cache, must-revalidate",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // Subscribed for exactly as long as this body is being written.
            defer { slot.release() }
            let (frames, end) = hub.subscribeFrames()
            context.onConnectionClose { end.finish() }
            for await frame in frames {
                slot.writing()
                try await writer.write(frame.part)
                slot.wrote()
                hub.didSendFrame()
                if let interval { try await Task.sleep(until: .now + interval) }
            }
            try await writer.finish(nil)
        })
    }

    func events(_ request: Request, _ context: StreamRequestContext) -> Response {
        guard let slot = admit(context) else { return refused() }
        let hub = self.hub
        let lastID = request.headers[FieldName("Last-Event-ID")!].flatMap { Int($0.trimmingWhitespace()) }
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
            FieldName("X-Accel-Buffering")!: "no",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { slot.release() }
            let (messages, end) = hub.subscribeEvents(after: lastID)
            context.onConnectionClose { end.finish() }
            for await chunk in messages {
                slot.writing()
                try await writer.write(chunk)
                slot.wrote()
            }
            try await writer.finish(nil)
        })
    }

    /// A slot for this connection's stream, freed when the body ends or the connection closes
    /// (whichever comes first; the body may never start if the client left at once).
    private func admit(_ context: StreamRequestContext) -> ClientSlot? {
        guard let slot = gate.admit(close: context.closeConnection) else { return nil }
        context.onConnectionClose { slot.release() }
        return slot
    }

    func refused() -> Response {
        plainText(.serviceUnavailable,
                  "503 too many stream clients: all \(gate.limit) slots (MJPEG viewers and /events clients together) are in use; "
                  + "retry in \(retryAfterSeconds) s, close another viewer, or raise --stream-max-clients\n",
                  extra: [.retryAfter: "\(retryAfterSeconds)"])
    }

    func snapshot() -> Response {
        guard let frame = hub.latestFrame else {
            return plainText(.serviceUnavailable, "503 no frame yet: the camera (\(hub.camera.name)) has not delivered a frame; retry in a moment\n",
                             extra: [.retryAfter: "1"])
        }
        return Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "no-store",
                                               FieldName("X-Frame-Index")!: "\(frame.index)"],
                        body: ResponseBody(byteBuffer: frame.jpeg))
    }

    func metrics() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: hub.metricsText())))
    }

    func health() -> Response {
        let report = hub.health()
        return Response(status: report.isHealthy ? .ok : .serviceUnavailable,
                        headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: report.json + "\n")))
    }
}

/// HTTPTypes' field name type, reached through Hummingbird's re-exported HTTPFields.
typealias FieldName = HTTPFields.Element.Name

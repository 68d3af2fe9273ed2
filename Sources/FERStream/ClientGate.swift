// ClientGate: the admission policy for long-lived stream clients (MJPEG viewers and /events
// clients together). It admits up to `limit` of them, refuses the next (counted in
// fer_stream_clients_refused_total), frees a slot when its client ends, and closes clients
// whose socket has accepted nothing for `stalledAfter` (a viewer that stopped reading).
// Thread-safe, short lock. It does no network I/O itself: each slot carries the action that
// closes its connection, and the server calls `closeStalled()` about once a second.

final class ClientGate: Sendable {
    let limit: Int
    let stalledAfter: Duration
    private let metrics: StreamMetrics
    private let state = Locked(State())

    private struct State {
        var nextID = 0
        var clients: [Int: Client] = [:]
    }

    private struct Client {
        let close: @Sendable () -> Void
        /// When the write now blocked began; nil while no write is pending.
        var writingSince: ContinuousClock.Instant?
    }

    init(limit: Int, stalledAfter: Duration, metrics: StreamMetrics) {
        self.limit = limit
        self.stalledAfter = stalledAfter
        self.metrics = metrics
        metrics.streamClientsMax.set(to: Double(limit))
        metrics.streamClients.set(to: 0)
    }

    /// Clients holding a slot now.
    var count: Int { state.withLock { $0.clients.count } }

    /// A slot for a new long-lived client, or nil (counted as refused) when all are taken.
    /// `close` closes the client's connection; it is called when the client stalls.
    func admit(close: @escaping @Sendable () -> Void) -> ClientSlot? {
        let admitted = state.withLock { s -> (id: Int, count: Int)? in
            guard s.clients.count < limit else { return nil }
            let id = s.nextID
            s.nextID += 1
            s.clients[id] = Client(close: close, writingSince: nil)
            return (id, s.clients.count)
        }
        guard let admitted else {
            metrics.streamClientsRefused.increment()
            return nil
        }
        metrics.streamClients.set(to: Double(admitted.count))
        return ClientSlot(id: admitted.id, gate: self)
    }

    /// Closes every client whose pending write began at least `stalledAfter` before `now`,
    /// frees its slot at once, and returns how many it closed.
    @discardableResult
    func closeStalled(now: ContinuousClock.Instant = .now) -> Int {
        let (stalled, count) = state.withLock { s -> ([@Sendable () -> Void], Int) in
            var closes: [@Sendable () -> Void] = []
            for (id, client) in s.clients {
                guard let since = client.writingSince, now - since >= stalledAfter else { continue }
                closes.append(client.close)
                s.clients[id] = nil
            }
            return (closes, s.clients.count)
        }
        guard !stalled.isEmpty else { return 0 }
        metrics.streamClients.set(to: Double(count))
        metrics.streamClientsStalled.increment(by: Int64(stalled.count))
        stalled.forEach { $0() }  // outside the lock: closing runs connection-close handlers
        return stalled.count
    }

    fileprivate func setWriting(_ id: Int, since: ContinuousClock.Instant?) {
        state.withLock { s in s.clients[id]?.writingSince = since }
    }

    fileprivate func release(_ id: Int) {
        let count = state.withLock { s -> Int? in
            guard s.clients.removeValue(forKey: id) != nil else { return nil }
            return s.clients.count
        }
        if let count { metrics.streamClients.set(to: Double(count)) }
    }
}

/// One admitted client's place in its ClientGate. Release it when the client ends (doing so
/// twice, or after the gate closed it as stalled, is harmless); bracket each write with
/// `writing()` / `wrote()` so a blocked one is noticed.
struct ClientSlot: Sendable {
    let id: Int
    let gate: ClientGate

    func writing(now: ContinuousClock.Instant = .now) { gate.setWriting(id, since: now) }
    func wrote() { gate.setWriting(id, since: nil) }
    func release() { gate.release(id) }
}

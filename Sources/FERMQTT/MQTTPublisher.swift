// Sends fer-cam's messages to the broker without ever blocking the caller:
// enqueue() puts a message in a bounded queue (the oldest is dropped and
// counted beyond --mqtt-queue) and returns; a publisher thread hands them to
// libmosquitto in order, at most `window` unacknowledged at a time, and only
// while connected, so during an outage they wait and go out in order on
// reconnect. A network thread runs libmosquitto's loop, which reconnects with
// its back-off. On connect: `online` (retained), discovery, the latest state.
// stop(): waits up to drainSeconds for the queue, publishes `offline`,
// disconnects. Decides nothing about what to publish (MQTTSink does).
import FERCam
import Foundation
import Logging

public struct MQTTCounts: Sendable, Equatable {
    /// Messages waiting in the queue now.
    public var queued: Int
    /// Messages dropped because the queue was full, since start.
    public var dropped: Int
    /// Messages the broker acknowledged (QoS 1) or that were written (QoS 0), since start.
    public var published: Int
    public var connected: Bool
}

public final class MQTTPublisher: @unchecked Sendable {
    public let settings: MQTTSettings
    private let logger: Logger
    private let cond = NSCondition()
    // Guarded by cond:
    private var queue: BoundedQueue<(seq: UInt64, message: MQTTMessage)>
    private var nextSeq: UInt64 = 0
    private var pendingState: MQTTMessage?
    private var lastState: MQTTMessage?
    private var connected = false
    private var announce = false
    private var inflight = InFlight()
    private var published = 0
    private var stopRequested = false
    private var disconnecting = false
    private var publisherDone = false
    private var networkDone = false
    private var everConnected = false
    private var disconnectedSince = MonotonicClock.seconds()

    private var client: MosquittoClient!

    public init(settings: MQTTSettings, logger: Logger) throws(MQTTClientError) {
        self.settings = settings
        self.logger = logger
        queue = BoundedQueue(capacity: settings.queueCapacity)
        let will = MQTTMessage(topic: settings.topics.availability, text: MQTTTopics.offline, qos: 1, retain: true)
        client = try MosquittoClient(settings: settings, will: will, callbacks: .init(
            connected: { [unowned self] code in self.onConnect(code) },
            disconnected: { [unowned self] rc in self.onDisconnect(rc) },
            published: { [unowned self] mid in self.onPublished(mid) }))
    }

    /// Starts the network and publisher threads. Returns at once: an unreachable
    /// broker is a warning and a retry, never an error.
    public func start() {
        logger.info("mqtt: publishing to \(settings.url) under \(settings.topics.prefix)/ as \(settings.clientID) (libmosquitto \(MosquittoClient.libraryVersion), QoS \(settings.qos), queue \(settings.queueCapacity)\(settings.discovery ? ", Home Assistant discovery" : ""))")
        let network = Thread { [self] in networkLoop() }
        network.name = "fer-cam.mqtt.network"
        network.start()
        let publisher = Thread { [self] in publisherLoop() }
        publisher.name = "fer-cam.mqtt.publish"
        publisher.start()
    }

    // MARK: - Caller side (never blocks beyond a short lock)

    public func enqueue(_ m: MQTTMessage) {
        cond.lock()
        nextSeq += 1
        queue.push((nextSeq, m))
        cond.signal()
        cond.unlock()
    }

    /// The latest state replaces an unsent one (only the newest matters).
    public func setState(_ m: MQTTMessage) {
        cond.lock()
        pendingState = m
        lastState = m
        cond.signal()
        cond.unlock()
    }

    /// What waits to be sent, oldest first, and the unsent state (tests, diagnostics).
    var waiting: (queue: [MQTTMessage], state: MQTTMessage?) {
        cond.lock(); defer { cond.unlock() }
        return (queue.elements.map(\.message), pendingState)
    }

    public var counts: MQTTCounts {
        cond.lock(); defer { cond.unlock() }
        return MQTTCounts(queued: queue.count, dropped: queue.dropped, published: published, connected: connected)
    }

    /// Sends what it can within drainSeconds, then `offline` and DISCONNECT. Waits a few seconds at most.
    public func stop() {
        cond.lock()
        stopRequested = true
        cond.broadcast()
        let deadline = Date(timeIntervalSinceNow: settings.drainSeconds + 3)
        while !publisherDone && Date() < deadline { _ = cond.wait(until: deadline) }
        let netDeadline = Date(timeIntervalSinceNow: 1)
        while !networkDone && Date() < netDeadline { _ = cond.wait(until: netDeadline) }
        cond.unlock()
        // A network thread still in libmosquitto's back-off sleep keeps this object (and the handle) alive.
    }

    // MARK: - libmosquitto callbacks (network thread)

    private func onConnect(_ code: Int32) {
        if code == 0 {
            cond.lock()
            connected = true
            everConnected = true
            announce = true
            inflight.connectionReset()
            cond.broadcast()
            cond.unlock()
            logger.info("mqtt: connected to \(settings.url)")
        } else {
            let hint = "check the user in --mqtt and the password: mqtt-password in the config file or $\(MQTTSettings.passwordVariable)"
            logger.error("mqtt: \(settings.url) refused the connection: \(MosquittoClient.refusal(code)) (\(hint)); retrying with back-off")
        }
    }

    private func onDisconnect(_ rc: Int32) {
        cond.lock()
        let was = connected
        connected = false
        disconnectedSince = MonotonicClock.seconds()
        let q = queue.count
        let intended = disconnecting
        cond.broadcast()
        cond.unlock()
        if was && !intended {
            logger.warning("mqtt: connection to \(settings.url) lost (\(MosquittoClient.text(rc))); \(q) messages queued; reconnecting with back-off (\(settings.reconnectDelay.min)-\(settings.reconnectDelay.max) s)")
        }
    }

    private func onPublished(_ mid: Int32) {
        cond.lock()
        inflight.acknowledged(mid)
        published += 1
        cond.broadcast()
        cond.unlock()
    }

    // MARK: - Network thread

    private func networkLoop() {
        let url = settings.url
        var rc = client.connect(host: url.host, port: url.port, keepalive: settings.keepaliveSeconds)
        if rc != 0 {
            logger.warning("mqtt: cannot connect to \(url): \(MosquittoClient.explained(rc, tls: url.tls)); retrying with back-off (\(settings.reconnectDelay.min)-\(settings.reconnectDelay.max) s)")
        }
        var delay = Double(settings.reconnectDelay.min)
        while true {
            rc = client.loopForever()
            cond.lock()
            let done = disconnecting
            cond.unlock()
            if done { break }
            // libmosquitto gives up for good on some errors (TLS, lookup during a session): retry here.
            logger.warning("mqtt: \(url): \(MosquittoClient.explained(rc, tls: url.tls)); retrying in \(Int(delay)) s")
            if sleepUnlessStopping(delay) { break }
            delay = min(delay * 2, Double(settings.reconnectDelay.max))
            rc = client.reconnect()
            if rc == 0 { delay = Double(settings.reconnectDelay.min) }
        }
        cond.lock()
        networkDone = true
        cond.broadcast()
        cond.unlock()
    }

    /// True when a stop came during the wait.
    private func sleepUnlessStopping(_ seconds: Double) -> Bool {
        cond.lock(); defer { cond.unlock() }
        let until = Date(timeIntervalSinceNow: seconds)
        while !disconnecting && Date() < until { _ = cond.wait(until: until) }
        return disconnecting
    }

    // MARK: - Publisher thread

    private enum Work { case announce(MQTTMessage?), state(MQTTMessage), queued(UInt64, MQTTMessage), drained, none }

    private func publisherLoop() {
        var stopDeadline: Double?
        var loggedDropped = 0
        var lastReport = MonotonicClock.seconds(), lastOutageWarning = MonotonicClock.seconds()
        while true {
            cond.lock()
            var work = Work.none
            while true {
                if stopRequested && stopDeadline == nil { stopDeadline = MonotonicClock.seconds() + settings.drainSeconds }
                if connected && announce {
                    announce = false
                    work = .announce(pendingState ?? lastState)
                    pendingState = nil
                    break
                }
                if connected && inflight.count < settings.window {
                    if let s = pendingState { work = .state(s); break }
                    if let first = queue.first { work = .queued(first.seq, first.message); break }
                }
                if let d = stopDeadline {
                    let empty = queue.isEmpty && pendingState == nil && inflight.count == 0
                    if empty || MonotonicClock.seconds() >= d { work = .drained; break }
                }
                let now = MonotonicClock.seconds()
                if now - lastReport >= 1 { break }   // once a second: journal lines below
                _ = cond.wait(until: Date(timeIntervalSinceNow: min(1, stopDeadline.map { max(0.01, $0 - now) } ?? 1)))
            }
            let q = queue.count, dropped = queue.dropped, isConnected = connected, since = disconnectedSince
            cond.unlock()

            switch work {
            case .announce(let state):
                var ms = [MQTTMessage(topic: settings.topics.availability, text: MQTTTopics.online, qos: 1, retain: true)]
                if settings.discovery { ms += Discovery(topics: settings.topics, name: settings.name).messages() }
                if let state { ms.append(state) }
                for m in ms { send(m) }
            case .state(let m):
                send(m, isState: true)
            case .queued(let seq, let m):
                send(m, queued: seq)
            case .drained:
                finish()
                return
            case .none:
                break
            }

            let now = MonotonicClock.seconds()
            if now - lastReport >= 1 {
                lastReport = now
                if dropped > loggedDropped {
                    logger.warning("mqtt: queue full (\(settings.queueCapacity) messages, --mqtt-queue): dropped the \(dropped - loggedDropped) oldest, \(dropped) in all")
                    loggedDropped = dropped
                }
                if !isConnected, now - since >= 30, now - lastOutageWarning >= 30 {
                    lastOutageWarning = now
                    logger.warning("mqtt: not connected to \(settings.url) for \(Int(now - since)) s; \(q) messages queued, \(dropped) dropped")
                }
            }
        }
    }

    /// Hands one message to libmosquitto; on success it leaves the queue (`queued`: its
    /// sequence number, unless the queue dropped it meanwhile) or the state slot.
    /// A message libmosquitto refuses for good (too large, bad topic) is dropped with an error line.
    private func send(_ m: MQTTMessage, isState: Bool = false, queued seq: UInt64? = nil) {
        let (rc, mid) = client.publish(m)
        cond.lock()
        if rc == 0 {
            inflight.sent(mid, qos: m.qos)
        } else if rc == MosquittoClient.notConnected {
            // The connection just dropped: keep it. onDisconnect will say so; try again shortly.
            _ = cond.wait(until: Date(timeIntervalSinceNow: 0.1))
            cond.unlock()
            return
        }
        if isState, pendingState == m { pendingState = nil }
        if let seq, queue.first?.seq == seq { queue.popFirst() }
        cond.unlock()
        if rc != 0 {
            logger.error("mqtt: cannot publish to \(m.topic) (\(m.payload.count) bytes): \(MosquittoClient.text(rc)); message dropped")
        }
    }

    private func finish() {
        cond.lock()
        let left = queue.count + (pendingState == nil ? 0 : 1)
        let isConnected = connected
        cond.unlock()
        if left > 0 {
            logger.warning("mqtt: stopping with \(left) messages not sent to \(settings.url) (broker unreachable or slow for \(settings.drainSeconds) s)")
        }
        if isConnected {
            send(MQTTMessage(topic: settings.topics.availability, text: MQTTTopics.offline, qos: 1, retain: true))
            cond.lock()
            let until = Date(timeIntervalSinceNow: 1)
            while inflight.count > 0 && connected && Date() < until { _ = cond.wait(until: until) }
            cond.unlock()
        }
        cond.lock()
        disconnecting = true
        cond.broadcast()
        cond.unlock()
        client.disconnect()
        cond.lock()
        publisherDone = true
        cond.broadcast()
        cond.unlock()
        logger.info("mqtt: stopped (\(counts.published) messages published, \(counts.dropped) dropped)")
    }
}

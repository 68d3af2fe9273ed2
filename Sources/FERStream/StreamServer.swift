// StreamServer: the Hummingbird 2 application serving a StreamHub over HTTP/1.1 on one
// address. `run()` serves until `stop()` (graceful: the listener closes, open streams end,
// then it returns) or until its task is cancelled (abrupt); `port()` waits for the bound
// port (useful with port 0). Its StreamLimits cap long-lived clients (a ClientGate),
// close idle connections and stalled clients. It does not parse command lines.
import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle

public final class StreamServer: Sendable {
    public let hub: StreamHub
    public let address: StreamAddress
    private let token: String?
    private let fpsCap: Double?
    public let limits: StreamLimits
    let gate: ClientGate
    private let logger: Logger
    private let stopSignal: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation
    private let state = Locked(State())

    private struct State {
        var started = false
        var port: Int?
        var failure: String?
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var background: Task<Void, any Error>?
    }

    /// Refuses a non-loopback address without a token, an empty token, a non-positive fps cap
    /// and limits that do not validate (a client limit below 1).
    public init(hub: StreamHub, address: StreamAddress, token: String?, fpsCap: Double?,
                limits: StreamLimits = StreamLimits(),
                logger: Logger = Logger(label: "fer.stream")) throws(StreamConfigError) {
        try address.validate(token: token)
        if let fpsCap, !(fpsCap > 0 && fpsCap.isFinite) { throw .badFPSCap(fpsCap) }
        try limits.validate()
        self.limits = limits
        gate = ClientGate(limit: limits.maxClients, stalledAfter: limits.stalledAfter, metrics: hub.metrics)
        self.hub = hub
        self.address = address
        self.token = token
        self.fpsCap = fpsCap
        self.logger = logger
        (stopSignal, stopContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Serves until `stop()` is called or the calling task is cancelled; throws when the
    /// address cannot be bound. Call once.
    public func run() async throws {
        let alreadyStarted = state.withLock { s in
            defer { s.started = true }
            return s.started
        }
        guard !alreadyStarted else { throw StreamServerError.alreadyRun }

        let router = Router(context: StreamRequestContext.self)
        router.middlewares.add(AccessGuard<StreamRequestContext>(token: token, knownPaths: StreamRoutes.paths))
        let interval = fpsCap.map { Duration.nanoseconds(Int64(1e9 / $0)) }
        StreamRoutes(hub: hub, frameInterval: interval, tokenQuery: Self.tokenQuery(token), gate: gate,
                     retryAfterSeconds: limits.retryAfterSeconds).register(on: router)

        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Self.nanoseconds(limits.idleTimeout)))),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { [weak self] channel in self?.listening(on: channel.localAddress?.port ?? -1) },
            logger: logger
        )
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let hub = self.hub, stopSignal = self.stopSignal, gate = self.gate
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await services.run(); return true }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .seconds(1))
                        hub.tick()
                        gate.closeStalled()
                    }
                    return false
                }
                group.addTask { for await _ in stopSignal {}; return false }
                // First to finish: stop(), or the server itself (failure to bind).
                if try await group.next() == false {
                    await services.triggerGracefulShutdown()
                    // Streams never end by themselves: end them (again for any that raced in)
                    // until the server has drained, or give up after a few seconds.
                    let deadline = ContinuousClock.now + .seconds(3)
                    group.addTask {
                        while ContinuousClock.now < deadline {
                            hub.finishAllViewers()
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        return false
                    }
                    while let finished = try await group.next() {
                        if finished { break }
                        if ContinuousClock.now >= deadline { break }
                    }
                }
                group.cancelAll()
            }
        } catch is CancellationError {
            // The caller cancelled run(): an abrupt stop, not a failure.
        } catch {
            failed("\(error)")
            throw error
        }
        failed("server stopped")
    }

    /// Long-lived clients (MJPEG viewers and /events clients) holding a slot now.
    public var clientCount: Int { gate.count }

    /// Makes `run()` return: the listener closes and every open stream ends.
    public func stop() {
        stopContinuation.finish()
    }

    /// For synchronous callers (not from async code: it blocks the thread): runs `run()` in a
    /// background task and waits until the server listens. Returns the bound port; throws
    /// when it cannot listen (address in use, no such address).
    public func startInBackground() throws -> Int {
        let task = Task { try await self.run() }
        state.withLock { $0.background = task }
        return try waitBlocking { try await self.port() }
    }

    /// For synchronous callers: `stop()`, then waits until the background `run()` returned
    /// (at most `timeout` seconds).
    public func stopAndWait(timeout: Double = 5) {
        stop()
        guard let task = state.withLock({ $0.background }) else { return }
        _ = try? waitBlocking(timeout: timeout) { _ = try await task.value }
    }

    /// The port the server listens on, once it does (the real one when asked for port 0).
    /// Throws when the server failed to start or has stopped.
    public func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { s in
                if let port = s.port { return .success(port) }
                if let failure = s.failure { return .failure(StreamServerError.notRunning(failure)) }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func listening(on port: Int) {
        let waiters = state.withLock { s in
            s.port = port
            defer { s.waiters = [] }
            return s.waiters
        }
        logger.info("stream listening on http://\(StreamAddress(host: address.host, port: port))/")
        waiters.forEach { $0.resume(returning: port) }
    }

    private func failed(_ why: String) {
        let waiters = state.withLock { s in
            s.failure = why
            s.port = nil
            defer { s.waiters = [] }
            return s.waiters
        }
        waiters.forEach { $0.resume(throwing: StreamServerError.notRunning(why)) }
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }

    /// "?token=<percent-encoded>" or "".
    static func tokenQuery(_ token: String?) -> String {
        guard let token else { return "" }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var out = "?token="
        for byte in token.utf8 {
            if allowed.contains(byte) { out.append(Character(Unicode.Scalar(byte))) } else { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
        }
        return out
    }
}

/// Runs async work and blocks the calling (non-async) thread until it finishes or times out.
public func waitBlocking<T: Sendable>(timeout: Double? = nil, _ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = Locked<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        let result: Result<T, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        box.withLock { $0 = result }
        done.signal()
    }
    if let timeout, done.wait(timeout: .now() + timeout) == .timedOut {
        task.cancel()
        throw StreamServerError.timedOut(timeout)
    } else if timeout == nil {
        done.wait()
    }
    return try box.withLock { $0! }.get()
}

public enum StreamServerError: Error, CustomStringConvertible {
    case alreadyRun
    case notRunning(String)
    case timedOut(Double)

    public var description: String {
        switch self {
        case .alreadyRun: "StreamServer.run() was called twice; create a new StreamServer"
        case .notRunning(let why): "stream server is not running: \(why)"
        case .timedOut(let seconds): "stream server did not stop within \(seconds) s"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

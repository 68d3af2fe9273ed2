// Test harness: starts a StreamServer on 127.0.0.1 port 0, runs blocking socket code on
// its own thread (never on Swift's small cooperative pool, which the server needs), and a
// feeder thread that publishes frames at a fixed interval.
import Foundation
import Logging
import Synchronization
@testable import FERStream

/// Runs `body` with a server serving `hub`; stops it and waits for `run()` to return.
func withServer<T: Sendable>(hub: StreamHub, token: String? = nil, fpsCap: Double? = nil,
                             limits: StreamLimits = StreamLimits(),
                             _ body: @Sendable (StreamServer, Int) async throws -> T) async throws -> T {
    var logger = Logger(label: "test.stream")
    logger.logLevel = .warning
    let server = try StreamServer(hub: hub, address: StreamAddress(host: "127.0.0.1", port: 0), token: token,
                                  fpsCap: fpsCap, limits: limits, logger: logger)
    let task = Task { try await server.run() }
    do {
        let port = try await server.port()
        let result = try await body(server, port)
        server.stop()
        try await task.value
        return result
    } catch {
        server.stop()
        _ = try? await task.value
        throw error
    }
}

/// Runs blocking work on a fresh thread and awaits its result.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Publishes `jpeg` every `interval` seconds on its own thread until stopped.
final class Feeder: Sendable {
    let published = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let done = Atomic<Bool>(false)

    init(hub: StreamHub, jpeg: [UInt8], interval: Double) {
        let thread = Thread { [self] in
            var next = Date()
            var index = 0
            while self.running.load(ordering: .relaxed) {
                hub.publishFrame(jpeg: jpeg, index: index, timestamp: Double(index) * interval)
                index += 1
                self.published.add(1, ordering: .relaxed)
                next += interval
                let wait = next.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) } else { next = Date() }
            }
            self.done.store(true, ordering: .releasing)
        }
        thread.start()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        while !done.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.002) }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns its last value.
func eventually(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// Blocking (run it with `onThread`): GETs `path` every 20 ms until `done` holds for the
/// response or `timeout` passes; returns the last response.
func pollGet(port: Int, _ path: String, timeout: Double = 10, until done: (HTTPResult) -> Bool) throws -> HTTPResult {
    let deadline = Date().addingTimeInterval(timeout)
    var last = try httpGet(port: port, path)
    while !done(last) && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.02)
        last = try httpGet(port: port, path)
    }
    return last
}

// SignalWatcher: every signal raised reaches the callback, on the watcher's
// thread, from whichever thread it was delivered to; the routing is in place
// when init returns (no lazy registration that an early signal can miss);
// cancel() gives the signal its default action back. Uses SIGUSR1/SIGUSR2,
// which nothing else in the test process handles.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FERSignals

/// Signals seen by a handler, in order (thread-safe).
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int32] = []
    private var threads: [pthread_t] = []
    func add(_ s: Int32) {
        let me = pthread_self()
        lock.withLock { items.append(s); threads.append(me) }
    }
    var signals: [Int32] { lock.withLock { items } }
    var handlerThreads: [pthread_t] { lock.withLock { threads } }

    /// Waits (generous bound, only hit on failure) until `count` signals arrived.
    func wait(for count: Int) -> Bool {
        for _ in 0..<1000 {
            if signals.count >= count { return true }
            usleep(10_000)
        }
        return signals.count >= count
    }
}

@Suite(.serialized) struct SignalWatcherTests {
    @Test func everyRaisedSignalReachesTheHandlerInOrderOnTheWatchersThread() throws {
        let seen = Seen()
        let w = try SignalWatcher([SIGUSR1, SIGUSR2], name: "test signals") { seen.add($0) }
        defer { w.cancel() }
        // raise() runs the handler before it returns, so each one is its own byte on the pipe.
        for s in [SIGUSR1, SIGUSR2, SIGUSR1, SIGUSR1] { raise(s) }
        #expect(seen.wait(for: 4), "got \(seen.signals)")
        #expect(seen.signals == [SIGUSR1, SIGUSR2, SIGUSR1, SIGUSR1])
        let me = pthread_self()
        #expect(seen.handlerThreads.allSatisfy { pthread_equal($0, me) == 0 }, "the handler ran on the raising thread")
        #expect(Set(seen.handlerThreads.map { UInt($0) }).count == 1, "one watcher thread calls back")
    }

    @Test func aSignalRightAfterInitIsNotLost() throws {
        // libdispatch registers its signal sources later, on its manager
        // thread: a signal in between was lost. Here the handler is installed
        // before init returns, so an immediate signal must arrive, every time.
        for round in 0..<20 {
            let seen = Seen()
            let w = try SignalWatcher([SIGUSR1], name: "test signals") { seen.add($0) }
            kill(getpid(), SIGUSR1)
            #expect(seen.wait(for: 1), "round \(round): the signal sent right after init was lost")
            w.cancel()
        }
    }

    @Test func aSignalDeliveredToAnotherThreadStillArrives() throws {
        let seen = Seen()
        let w = try SignalWatcher([SIGUSR2], name: "test signals") { seen.add($0) }
        defer { w.cancel() }
        let other = Thread { raise(SIGUSR2) }   // raise(): delivered to that thread
        other.start()
        #expect(seen.wait(for: 1), "the signal raised on another thread did not arrive")
    }

    @Test func cancelRestoresTheDefaultAction() throws {
        let w = try SignalWatcher([SIGUSR1], name: "test signals") { _ in }
        var action = sigaction()
        sigaction(SIGUSR1, nil, &action)
        #expect(action.__sigaction_handler.sa_handler != nil, "a handler is installed while watching")
        w.cancel()
        w.cancel()   // idempotent
        sigaction(SIGUSR1, nil, &action)
        #expect(action.__sigaction_handler.sa_handler == nil, "SIG_DFL after cancel()")
    }
}

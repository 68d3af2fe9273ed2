// Runs a producer on a background thread, a bounded number of items ahead of
// the consumer, so batch preparation overlaps training. Items come out in
// order. It knows nothing about what the items are.
import Foundation

public final class Prefetcher<Item: Sendable>: Sendable {
    private let state: State

    /// Produces make(0), make(1), …, make(count-1) on one background thread, at most `depth` ahead.
    public init(count: Int, depth: Int = 2, make: @escaping @Sendable (Int) -> Item) {
        state = State(count: count, depth: max(1, depth), make: make)
        let s = state
        let t = Thread { s.produce() }
        t.name = "fer-train.prefetch"
        t.start()
    }

    /// Dropping the prefetcher stops its thread.
    deinit { state.stop() }

    /// The next item in order, waiting for it if needed; nil after the last one.
    public func next() -> Item? { state.next() }

    /// Stops the producer after its current item; later next() calls return nil.
    public func stop() { state.stop() }

    private final class State: @unchecked Sendable {
        let lock = NSCondition()
        var ready: [Int: Item] = [:]   // guarded by lock
        var nextToMake = 0             // guarded by lock
        var nextToTake = 0             // guarded by lock
        var stopped = false            // guarded by lock
        let count: Int
        let depth: Int
        let make: @Sendable (Int) -> Item

        init(count: Int, depth: Int, make: @escaping @Sendable (Int) -> Item) {
            self.count = count
            self.depth = depth
            self.make = make
        }

        func produce() {
            while true {
                lock.lock()
                while !stopped && nextToMake < count && nextToMake - nextToTake >= depth { lock.wait() }
                if stopped || nextToMake >= count { lock.unlock(); return }
                let i = nextToMake
                nextToMake += 1
                lock.unlock()
                let item = make(i)
                lock.lock()
                ready[i] = item
                lock.broadcast()
                lock.unlock()
            }
        }

        func next() -> Item? {
            lock.lock()
            defer { lock.unlock() }
            guard nextToTake < count, !stopped else { return nil }
            while ready[nextToTake] == nil { lock.wait() }
            let item = ready.removeValue(forKey: nextToTake)
            nextToTake += 1
            lock.broadcast()
            return item
        }

        func stop() {
            lock.lock()
            stopped = true
            lock.broadcast()
            lock.unlock()
        }
    }
}

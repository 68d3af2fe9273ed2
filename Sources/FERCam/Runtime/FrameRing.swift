// A bounded, thread-safe ring between two pipeline stages. `push` never
// blocks: when the ring is full the oldest element is dropped and counted, so
// a slow consumer sees the newest frames and memory stays flat. `pop` blocks
// until an element arrives or the ring is closed. No policy beyond that.
import Foundation

public final class FrameRing<Element>: @unchecked Sendable {
    public let capacity: Int
    private var items: [Element?]      // (capacity) slots, head..head+count-1 in use
    private var head = 0
    private var count = 0
    private var closed = false
    private var dropped = 0
    private var pushed = 0
    private let condition = NSCondition()

    public init(capacity: Int) {
        precondition(capacity > 0, "ring capacity must be positive")
        self.capacity = capacity
        self.items = Array(repeating: nil, count: capacity)
    }

    /// Adds an element; returns the element dropped to make room, if any.
    @discardableResult
    public func push(_ element: Element) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return element }
        var evicted: Element?
        if count == capacity {
            evicted = items[head]
            items[head] = nil
            head = (head + 1) % capacity
            count -= 1
            dropped += 1
        }
        items[(head + count) % capacity] = element
        count += 1
        pushed += 1
        condition.broadcast()
        return evicted
    }

    /// Waits for a free slot, then adds (files and stills: nothing is dropped).
    /// Returns false if the ring was closed.
    @discardableResult
    public func pushWaiting(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items[(head + count) % capacity] = element
        count += 1
        pushed += 1
        condition.broadcast()
        return true
    }

    /// Waits for the oldest element; nil once the ring is closed and empty.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed { condition.wait() }
        return take()
    }

    /// Like pop, but gives up after `timeout` seconds (nil).
    public func pop(timeout: Double) -> Element? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while count == 0 && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return take()
    }

    private func take() -> Element? {
        guard count > 0 else { return nil }
        let e = items[head]
        items[head] = nil
        head = (head + 1) % capacity
        count -= 1
        condition.broadcast()   // a pushWaiting may wait for this slot
        return e
    }

    /// No more pushes; waiting and later pops drain what is left, then get nil.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    public var droppedCount: Int { condition.lock(); defer { condition.unlock() }; return dropped }
    public var pushedCount: Int { condition.lock(); defer { condition.unlock() }; return pushed }
    public var currentCount: Int { condition.lock(); defer { condition.unlock() }; return count }
}

/// A bounded queue that blocks the producer when full (never drops): used
/// after inference, where events must not be lost.
public final class BlockingQueue<Element>: @unchecked Sendable {
    public let capacity: Int
    private var items: [Element] = []
    private var closed = false
    private let condition = NSCondition()

    public init(capacity: Int) {
        precondition(capacity > 0, "queue capacity must be positive")
        self.capacity = capacity
    }

    /// Waits for room; returns false if the queue was closed.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let e = items.removeFirst()
        condition.broadcast()
        return e
    }

    /// Producers stop; the consumer drains what is queued, then gets nil.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

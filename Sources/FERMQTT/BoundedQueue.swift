// A first-in first-out queue with a fixed capacity: pushing onto a full queue
// drops the oldest element and counts it. A plain value (a ring buffer); the
// lock around it is the outbox's job.
public struct BoundedQueue<Element> {
    public let capacity: Int
    private var storage: [Element?]
    private var head = 0                 // index of the oldest element
    public private(set) var count = 0
    /// Elements dropped because the queue was full, since creation.
    public private(set) var dropped = 0

    public init(capacity: Int) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
        storage = []
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends; when full, the oldest element is dropped first. Returns true when one was dropped.
    @discardableResult
    public mutating func push(_ e: Element) -> Bool {
        var droppedOne = false
        if count == capacity {
            storage[head] = nil
            head = (head + 1) % capacity
            count -= 1
            dropped += 1
            droppedOne = true
        }
        let tail = (head + count) % capacity
        if tail == storage.count { storage.append(e) } else { storage[tail] = e }
        count += 1
        return droppedOne
    }

    /// The oldest element, left in place.
    public var first: Element? { count == 0 ? nil : storage[head] }

    /// Every element, oldest first (a copy).
    public var elements: [Element] { (0..<count).map { storage[(head + $0) % capacity]! } }

    /// Removes and returns the oldest element.
    @discardableResult
    public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let e = storage[head]
        storage[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return e
    }
}

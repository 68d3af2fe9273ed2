// A value behind an NSLock, with Mutex's `withLock` shape. Used instead of
// Synchronization.Mutex because ThreadSanitizer cannot see Mutex's futex and
// reports every access under it as a race (scripts/test --tsan). Not a
// reader-writer lock and not reentrant.
import Foundation

public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` on the value with the lock held.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

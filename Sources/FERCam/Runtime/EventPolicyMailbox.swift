// A one-slot, thread-safe hand-off of a new EventPolicy from a control thread
// (SIGHUP config reload) to the processing thread, which takes it before its
// next frame. The latest post wins. No other state.
import Foundation

public final class EventPolicyMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: EventPolicy?   // guarded by lock

    public init() {}

    public func post(_ policy: EventPolicy) { lock.withLock { pending = policy } }

    /// The posted policy, once; nil when nothing new was posted.
    public func take() -> EventPolicy? {
        lock.withLock {
            defer { pending = nil }
            return pending
        }
    }
}

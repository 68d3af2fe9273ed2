// StreamRequestContext: Hummingbird's request context plus a hook on the connection's
// close, so a streaming response ends as soon as its client goes away (even while no frame
// or event is being written), instead of at its next write; and a way to close the
// connection from outside (a stalled client).
import Hummingbird

struct StreamRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Registers an action to run (on the connection's event loop) once the connection closed.
    let onConnectionClose: @Sendable (@escaping @Sendable () -> Void) -> Void
    /// Closes the connection (from any thread); a pending write then fails.
    let closeConnection: @Sendable () -> Void

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let channel = source.channel
        self.onConnectionClose = { action in channel.closeFuture.whenComplete { _ in action() } }
        self.closeConnection = { channel.close(promise: nil) }
    }
}

// Turns the shim's status codes and thread-local messages into VisionError.
// Internal; every call into COpenCV that can fail goes through here.

import COpenCV

enum Shim {
    /// The shim's message for the last failure on this thread.
    static var lastError: String { String(cString: fc_last_error()) }

    /// Throws `.libraryMissing` for a library opened on demand that is not installed, else
    /// `.opencv`, unless `status` is FC_OK.
    static func check(_ status: fc_status, _ operation: String) throws(VisionError) {
        guard status != FC_OK else { return }
        if status == FC_UNAVAILABLE { throw .libraryMissing(operation: operation, message: lastError) }
        throw .opencv(operation: operation, message: lastError)
    }

    /// For operations on images this module built itself (sizes already
    /// valid): a failure here can only be an internal fault such as running
    /// out of memory, so it stops the process with the shim's message.
    static func mustSucceed(_ status: fc_status, _ operation: String) {
        guard status != FC_OK else { return }
        fatalError("FERVision internal error in \(operation): \(lastError)")
    }
}

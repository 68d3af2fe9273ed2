// The one error type of `fer-train import`: which file, what is wrong, and the
// sysexits code it maps to (64 usage, 65 data the import cannot represent or a
// malformed file, 66 input missing, 73 cannot write). It does no I/O.

public struct KerasImportError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bad or missing option (--labels, --normalization).
        case usage
        /// A valid Keras model that fer-cam cannot represent (a layer, an option, an RGB input, a graph).
        case unsupported
        /// Not a Keras file, or a truncated or inconsistent one.
        case malformed
        /// The file does not exist or cannot be read.
        case missing
        /// The model file could not be written.
        case writeFailed
    }

    /// The Keras file as the caller named it.
    public var path: String
    public var kind: Kind
    public var message: String

    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    public var exitCode: Int32 {
        switch kind {
        case .usage: return 64
        case .unsupported, .malformed: return 65
        case .missing: return 66
        case .writeFailed: return 73
        }
    }

    public var description: String { "\(path): \(message)" }
}

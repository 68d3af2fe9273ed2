// Every way fer-cam can fail, with the sysexits code it maps to and a message
// that says what, where and how to fix. The codes are part of the contract
// (systemd's RestartPreventExitStatus=78 relies on them):
//   64 usage, 66 input missing, 69 device unavailable, 70 internal, 78 configuration.
public enum CamError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Bad flags or values (64).
    case usage(String)
    /// A file, directory, model or device node that does not exist (66).
    case inputMissing(String)
    /// A device that exists but cannot be used right now: busy, gone, stopped
    /// delivering, no usable format, not a capture device (69).
    case deviceUnavailable(String)
    /// A configuration that can never work: bad model file, bad cascade, no display for --show (78).
    case configuration(String)
    /// A bug or an unexpected library failure (70).
    case internalError(String)

    public var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .inputMissing: return 66
        case .deviceUnavailable: return 69
        case .internalError: return 70
        case .configuration: return 78
        }
    }

    public var message: String {
        switch self {
        case .usage(let m), .inputMissing(let m), .deviceUnavailable(let m), .configuration(let m), .internalError(let m):
            return m
        }
    }

    public var description: String { message }
}

import FERVision

extension CamError {
    /// Wraps a vision-layer error, keeping its exit code's meaning.
    public init(_ error: VisionError) {
        switch error.exitCode {
        case 66: self = .inputMissing(error.description)
        case 78, 73: self = .configuration(error.description)
        case 69: self = .deviceUnavailable(error.description)
        default: self = .internalError(error.description)
        }
    }
}

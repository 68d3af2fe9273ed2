// Paths the FERVision tests need: the package root and ../shared (found from
// this file's location), plus a scratch directory. No assertions here.

import Testing

#if canImport(Glibc)
import Glibc
#endif

enum TestPaths {
    /// The package root: two levels above Tests/FERVisionTests/.
    static let packageRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // TestSupport.swift, FERVisionTests, Tests
        return parts.joined(separator: "/")
    }()

    /// ../shared relative to the package root.
    static let shared = packageRoot + "/../shared"

    /// A file under ../shared/media; records a clear failure when it is missing.
    static func media(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = shared + "/media/" + name
        guard access(path, R_OK) == 0 else {
            Issue.record("missing test data \(path): the shared data folder must sit beside the package root (../shared)",
                         sourceLocation: sourceLocation)
            throw MissingData(path: path)
        }
        return path
    }

    /// The cascade committed in cascades/.
    static var cascade: String { packageRoot + "/cascades/haarcascade_frontalface_default.xml" }

    /// A fresh scratch directory under /tmp.
    static func scratchDirectory() -> String {
        var template = Array("/tmp/fervision-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "cannot create a scratch directory in /tmp")
        return String(cString: made!)
    }

    struct MissingData: Error { let path: String }
}

// Whole-file reads and atomic whole-file writes for model files, with errors
// that name the path. A write goes to a temporary file in the target folder,
// is flushed to disk, then renamed over the target, so readers never see a
// half-written model. It does not parse anything.

import Foundation
import Glibc

enum FileBytes {
    /// All bytes of the file. Missing file → `.fileMissing`; a folder or an
    /// unreadable file → `.unreadable`.
    static func read(_ url: URL) throws(ModelFileError) -> [UInt8] {
        let path = url.relativePath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelFileError(path: path, problem: .fileMissing)
        }
        guard !isDirectory.boolValue else {
            throw ModelFileError(path: path, problem: .unreadable(reason: "it is a folder, not a file"))
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw ModelFileError(path: path, problem: .unreadable(reason: "\(error.localizedDescription)"))
        }
    }

    /// Writes `bytes` to `url` atomically, creating missing parent folders.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(ModelFileError) {
        let path = url.relativePath
        func fail(_ what: String) -> ModelFileError {
            ModelFileError(path: path, problem: .writeFailed(reason: "\(what): \(String(cString: strerror(errno)))"))
        }
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelFileError(path: path, problem: .writeFailed(reason: "cannot create folder \(folder.relativePath): \(error.localizedDescription)"))
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("cannot create temporary file \(temp)") }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else {
            let error = fail("writing \(temp)")
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        guard rename(temp, url.path) == 0 else {
            let error = fail("renaming \(temp) over the target")
            unlink(temp)
            throw error
        }
    }
}

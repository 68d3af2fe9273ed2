// Small file-system helpers for the vision layer: what is at a path, read a
// whole file, write bytes. Errors are VisionError with the path in them.
// No decoding here.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileSystem {
    enum Kind { case missing, directory, file, other }

    static func kind(of path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    static func isRegularFile(_ path: String) -> Bool { kind(of: path) == .file }

    static func currentDirectory() -> String {
        guard let p = getcwd(nil, 0) else { return "the current directory" }
        defer { free(p) }
        return String(cString: p)
    }

    /// Reads a whole regular file. `kind` names it in errors ("image file").
    static func readAll(_ path: String, kind: String) throws(VisionError) -> [UInt8] {
        switch self.kind(of: path) {
        case .missing: throw .fileNotFound(kind: kind, path: path)
        case .directory: throw .unreadableFile(kind: kind, path: path, reason: "it is a directory")
        case .file, .other: break
        }
        guard let f = fopen(path, "rb") else {
            throw .unreadableFile(kind: kind, path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 {
                    throw .unreadableFile(kind: kind, path: path, reason: String(cString: strerror(errno)))
                }
                break
            }
        }
        return bytes
    }

    /// Writes bytes to `path` through a temporary file and a rename, so a
    /// reader never sees a half-written file.
    static func writeAll(_ bytes: [UInt8], to path: String) throws(VisionError) {
        let tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        guard written == bytes.count, closed == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw .writeFailed(path: path, reason: reason)
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw .writeFailed(path: path, reason: reason)
        }
    }
}

// Reads a whole file into memory, inflating it when it is gzip (by magic
// bytes, not by name). It does not parse anything.
import CGzip
import Foundation

public enum DatasetFile {
    /// The file's bytes; gzip files (one or more members) come back inflated.
    public static func read(_ path: String) throws(DatasetError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or not a regular file")
        }
        let raw = [UInt8](data)
        if raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b {
            return try gunzip(raw, path: path)
        }
        return raw
    }

    /// Inflates gzip data (concatenated members allowed).
    public static func gunzip(_ input: [UInt8], path: String = "<memory>") throws(DatasetError) -> [UInt8] {
        // ISIZE (last 4 bytes) is the size mod 2^32 of the last member: a good first guess.
        var capacity = max(input.count * 4, 1 << 16)
        if input.count >= 4 {
            let n = input.count
            let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            capacity = max(capacity, isize + 1)
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var failure: String?

        input.withUnsafeBufferPointer { src in
            var stream = z_stream()
            guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                failure = "zlib init failed"; return
            }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.avail_in = UInt32(src.count)
            while true {
                if produced == output.count { output.append(contentsOf: [UInt8](repeating: 0, count: output.count)) }
                let status: Int32 = output.withUnsafeMutableBufferPointer { dst in
                    stream.next_out = dst.baseAddress! + produced
                    let room = min(dst.count - produced, Int(UInt32.max))
                    stream.avail_out = UInt32(room)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return s
                }
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return }
                    // Another gzip member follows.
                    guard inflateReset(&stream) == Z_OK else { failure = "zlib reset failed"; return }
                    continue
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    failure = "file ends in the middle of the compressed data (truncated download?)"; return
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    failure = "corrupt gzip data: \(msg)"; return
                }
            }
        }
        if let failure { throw .unreadable(path: path, reason: failure) }
        output.removeSubrange(produced...)
        return output
    }
}

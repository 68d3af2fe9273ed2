// CPU seconds another process has used so far (user + system, all threads)
// from /proc/<pid>/stat (Linux only): fields 14 and 15 after the command name,
// in clock ticks. Reads only; never signals.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum ProcessCPU {
    /// (utime, stime) in clock ticks from the text of /proc/<pid>/stat; nil when malformed.
    /// The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    public static func parseStat(_ text: String) -> (utime: Int, stime: Int)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ')': state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return nil }
        return (u, s)
    }

    /// User + system CPU seconds of `pid`; nil when it is gone or unreadable.
    public static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let (u, s) = parseStat(text) else { return nil }
        return Double(u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

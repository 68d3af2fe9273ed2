// Samples another process's resident memory, open descriptors and threads
// from /proc/<pid> (Linux only): VmRSS and Threads from /proc/<pid>/status,
// descriptors by counting /proc/<pid>/fd. Reads, never signals or attaches.
import Foundation

/// One sample. t: seconds since the run started; rssKB: VmRSS in kB (1024 bytes).
public struct ProcSample: Sendable, Equatable {
    public var t: Double
    public var rssKB: Int
    public var fds: Int
    public var threads: Int

    public init(t: Double, rssKB: Int, fds: Int, threads: Int) {
        self.t = t
        self.rssKB = rssKB
        self.fds = fds
        self.threads = threads
    }
}

public enum ProcSampler {
    /// VmRSS (kB) and Threads from the text of /proc/<pid>/status; nil when either is missing
    /// (a zombie has no VmRSS).
    public static func parseStatus(_ text: String) -> (rssKB: Int, threads: Int)? {
        var rss: Int?, threads: Int?
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2 else { continue }
            if parts[0] == "VmRSS:" { rss = Int(parts[1]) }
            if parts[0] == "Threads:" { threads = Int(parts[1]) }
        }
        guard let rss, let threads else { return nil }
        return (rss, threads)
    }

    /// Samples `pid` now; nil when it is gone (or not readable: another user's process).
    public static func sample(pid: Int32, t: Double) -> ProcSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let parsed = parseStatus(status),
              let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        return ProcSample(t: t, rssKB: parsed.rssKB, fds: fds.count, threads: parsed.threads)
    }
}

// Samples another process's resident memory, open descriptors and threads
// from /proc/<pid> (Linux only): VmRSS and Threads from /proc/<pid>/status,
// descriptors by counting /proc/<pid>/fd, and what those descriptors are (by
// kind: socket, pipe, eventpoll, file, ...) so a soak can say which kind grew.
// Reads, never signals or attaches.
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

    /// The kind of an open descriptor from its /proc/<pid>/fd link target:
    /// "socket:[123]" → "socket", "pipe:[9]" → "pipe", "anon_inode:[eventfd]" → "eventfd",
    /// "/dev/null" → "/dev/null", any other path → "file".
    public static func descriptorKind(linkTarget: String) -> String {
        if linkTarget.hasPrefix("anon_inode:") {
            let name = linkTarget.dropFirst("anon_inode:".count)
            return String(name.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        }
        if let colon = linkTarget.firstIndex(of: ":"), !linkTarget.hasPrefix("/") { return String(linkTarget[..<colon]) }
        if linkTarget.hasPrefix("/dev/") { return linkTarget }
        return "file"
    }

    /// `pid`'s open descriptors counted by kind (descriptorKind); empty when it is gone.
    public static func descriptorKinds(pid: Int32) -> [String: Int] {
        let dir = "/proc/\(pid)/fd"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var kinds: [String: Int] = [:]
        for name in names {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + name) else { continue }
            kinds[descriptorKind(linkTarget: target), default: 0] += 1
        }
        return kinds
    }
}

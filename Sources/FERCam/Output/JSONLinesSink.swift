// EventLineSink that appends each event's line (design.md's detection log,
// serialized by FanOutSink or by EventLineSink's defaults) to a file or stdout. Every line goes out in a single write(2)
// with its newline, unbuffered, so a reader never sees half a line and a
// crash loses nothing already reported. Writes nothing but events (and
// `camera` lines when the camera goes away or returns). reopen() (SIGHUP,
// logrotate) switches to a new file at the same path between two lines.
import Foundation

public final class JSONLinesSink: EventLineSink, @unchecked Sendable {
    public let path: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    private let lock = NSLock()           // one line at a time; reopen between lines

    /// path "-" writes to stdout; anything else is created or appended to.
    public init(path: String) throws(CamError) {
        self.path = path
        if path == "-" {
            fd = STDOUT_FILENO
            ownsDescriptor = false
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
                throw .inputMissing("--log \(path): directory \(dir) does not exist (create it first)")
            }
            fd = try JSONLinesSink.openFile(path)
            ownsDescriptor = true
        }
    }

    /// Wraps an already open descriptor (tests, systemd-passed files).
    public init(fileDescriptor: Int32, name: String) {
        path = name
        fd = fileDescriptor
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    private static func openFile(_ path: String) throws(CamError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .configuration("--log \(path): cannot open for writing: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Closes the file and opens `path` again (a new file if logrotate moved
    /// the old one). Lines already written stay in the old file; none is lost
    /// or split. No-op for stdout. On failure the old file stays in use.
    public func reopen() throws(CamError) {
        guard ownsDescriptor else { return }
        let fresh = try JSONLinesSink.openFile(path)
        lock.lock()
        let old = fd
        fd = fresh
        lock.unlock()
        close(old)
    }

    public func camera(_ event: CameraEvent, line: String, closedLines: [String]) throws(CamError) {
        try writeLine(line)
        for l in closedLines { try writeLine(l) }
    }

    public func consume(_ result: FrameResult, lines: [String]) throws(CamError) -> SinkAction {
        for l in lines { try writeLine(l) }
        return .proceed
    }

    public func finish(finalLines: [String]) throws(CamError) {
        for l in finalLines { try writeLine(l) }
    }

    public func write(_ event: DetectionEvent) throws(CamError) {
        try writeLine(event.jsonLine())
    }

    private func writeLine(_ line: String) throws(CamError) {
        var bytes = Array((line + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        let ok = bytes.withUnsafeMutableBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                off += n
            }
            return true
        }
        if !ok {
            throw .deviceUnavailable("detection log \(path): write failed: \(String(cString: strerror(errno)))")
        }
    }
}

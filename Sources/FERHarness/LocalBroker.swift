// A throwaway Debian `mosquitto` broker on a free 127.0.0.1 port with its own
// config, log and persistence folder (a new temp dir unless given), started
// through SpawnedProcess (clean signal mask, so SIGTERM saves its sessions),
// stopped and restarted at will. Extra config lines (users, TLS) come from
// the caller. Runs the broker only; it publishes and subscribes nothing.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class LocalBroker: @unchecked Sendable {
    public static let binary = "/usr/sbin/mosquitto"
    public let dir: String
    public let port: Int
    public var configPath: String { "\(dir)/mosquitto.conf" }
    public var logPath: String { "\(dir)/broker.log" }
    public var url: String { "mqtt://127.0.0.1:\(port)" }
    private var process: SpawnedProcess?
    private let removeDir: Bool

    /// Writes the config (anonymous clients allowed unless `allowAnonymous` is false; `extraConfig`
    /// appended) but does not start the broker. dir: nil makes (and at deinit removes) a temp dir.
    public init(dir: String? = nil, port: Int? = nil, allowAnonymous: Bool = true, extraConfig: String = "",
                logAll: Bool = true) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw HarnessError("\(Self.binary) not found: install Debian's mosquitto (apt-get install mosquitto mosquitto-clients)")
        }
        removeDir = dir == nil
        self.dir = dir ?? (NSTemporaryDirectory() + "fer-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: self.dir, withIntermediateDirectories: true)
        self.port = try port ?? freeLoopbackTCPPort()
        // As root, mosquitto would switch to the `mosquitto` user and could not write this dir.
        let user = getuid() == 0 ? "user root\n" : ""
        let conf = """
        \(user)listener \(self.port) 127.0.0.1
        allow_anonymous \(allowAnonymous)
        \(extraConfig)
        persistence true
        persistence_location \(self.dir)/
        log_dest file \(self.dir)/broker.log
        log_type \(logAll ? "all" : "error")

        """
        try conf.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        if removeDir { try? FileManager.default.removeItem(atPath: dir) }
    }

    public var isRunning: Bool { process?.isRunning ?? false }
    public var pid: pid_t? { process?.pid }

    /// Starts the broker and waits (up to `timeout` s, a bound) until 127.0.0.1:port accepts a connection.
    public func start(timeout: Double = 60) throws {
        let p = try SpawnedProcess(Self.binary, ["-c", configPath])
        process = p
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            guard p.isRunning else {
                throw HarnessError("mosquitto -c \(configPath) exited with \(p.wait()) (log: \(logPath)); is port \(port) taken?")
            }
            if Self.accepts(port: port) { return }
            usleep(50_000)
        }
        throw HarnessError("mosquitto -c \(configPath) did not listen on 127.0.0.1:\(port) within \(Int(timeout)) s (log: \(logPath))")
    }

    /// SIGTERM (mosquitto saves its persistent sessions) and wait for the exit.
    public func stop() {
        guard let p = process else { return }
        process = nil
        p.kill(SIGTERM)
        p.wait()
    }

    /// True when a TCP connection to 127.0.0.1:port succeeds now.
    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

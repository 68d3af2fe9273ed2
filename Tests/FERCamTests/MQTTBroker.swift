// Test helpers for the MQTT end-to-end tests: a real Debian `mosquitto` broker
// on a free loopback port with its own config (persistence on, in a temp dir),
// stopped and restarted at will; a `mosquitto_sub` subscriber with a persistent
// session writing `topic payload` lines to a file; waiting for a condition with
// a generous bound. No MQTT code of our own.
import Foundation
import Testing

enum MQTTTools {
    static let broker = "/usr/sbin/mosquitto"
    static let sub = "/usr/bin/mosquitto_sub"
    static let pub = "/usr/bin/mosquitto_pub"
    static let passwd = "/usr/bin/mosquitto_passwd"

    /// Fails the test with the fix when Debian's mosquitto or mosquitto-clients is missing.
    static func require() throws {
        for tool in [broker, sub, pub] where !FileManager.default.isExecutableFile(atPath: tool) {
            Issue.record("\(tool) not found: install Debian's mosquitto and mosquitto-clients (scripts/setup --tests)")
            throw MQTTTestError("missing \(tool)")
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to :0, then closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MQTTTestError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { throw MQTTTestError("bind: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass (a bound, not a measurement).
    @discardableResult
    static func waitFor(_ what: String, seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        if try condition() { return true }
        Issue.record("timed out after \(seconds) s waiting for \(what)")
        return false
    }
}

struct MQTTTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A child process started with posix_spawn, with an empty signal mask and default
/// signal actions: the test runner's threads block SIGTERM, and a child started by
/// Foundation's Process inherits that mask (mosquitto would then ignore SIGTERM,
/// and never save its sessions). stdout and stderr go to files (or /dev/null).
final class SpawnedProcess {
    let pid: pid_t
    private var status: Int32?

    init(_ path: String, _ args: [String], stdout: String? = nil, stderr: String? = nil,
         environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let rc = posix_spawn(&child, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw MQTTTestError("posix_spawn \(path): \(String(cString: strerror(rc)))") }
        pid = child
    }

    deinit { kill(SIGKILL); _ = wait() }

    var isRunning: Bool {
        guard status == nil else { return false }
        var st: Int32 = 0
        if waitpid(pid, &st, WNOHANG) == pid { status = st; return false }
        return true
    }

    func kill(_ sig: Int32) {
        if isRunning { _ = Glibc.kill(pid, sig) }
    }

    /// Blocks until the child exits; its exit code (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if status == nil {
            var st: Int32 = 0
            while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
            status = st
        }
        let st = status!
        return (st & 0x7f) == 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f)
    }
}

/// mosquitto on 127.0.0.1:port, persistence in its own temp dir.
final class TestBroker {
    let dir: String
    let port: Int
    private let users: [String: String]
    private var process: SpawnedProcess?

    /// With `tls`, a second listener on tlsPort speaks TLS with a certificate for 127.0.0.1
    /// signed by a CA made for the test (caFile); the plain listener stays for the test's tools.
    private(set) var tlsPort: Int?
    var caFile: String { "\(dir)/ca.crt" }

    /// users: name → password; none means anonymous clients are allowed.
    init(users: [String: String] = [:], tls: Bool = false) throws {
        try MQTTTools.require()
        dir = NSTemporaryDirectory() + "fer-mqtt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = try MQTTTools.freePort()
        // As root, mosquitto would switch to the `mosquitto` user and could not write this dir.
        let user = getuid() == 0 ? "user root\n" : ""
        let conf = """
        \(user)listener \(port) 127.0.0.1
        allow_anonymous \(users.isEmpty)
        \(users.isEmpty ? "" : "password_file \(dir)/passwords")
        \(tls ? try Self.tlsListener(dir: dir, port: try MQTTTools.freePort()) : "")
        persistence true
        persistence_location \(dir)/
        log_dest file \(dir)/broker.log
        log_type all

        """
        try conf.write(toFile: "\(dir)/mosquitto.conf", atomically: true, encoding: .utf8)
        if !users.isEmpty {
            _ = FileManager.default.createFile(atPath: "\(dir)/passwords", contents: nil)
            for (name, password) in users.merging(["admin": "admin-pass"], uniquingKeysWith: { a, _ in a }) {
                let r = try runProcess(MQTTTools.passwd, ["-b", "\(dir)/passwords", name, password], timeout: 30)
                if r.status != 0 { throw MQTTTestError("mosquitto_passwd: \(r.stderr)") }
            }
        }
        self.users = users
        if tls, let line = conf.split(separator: "\n").first(where: { $0.hasPrefix("listener") && $0 != "listener \(port) 127.0.0.1" }) {
            tlsPort = Int(line.split(separator: " ")[1])
        }
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A CA, a server certificate for 127.0.0.1 signed by it, and the listener lines that use them.
    private static func tlsListener(dir: String, port: Int) throws -> String {
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(dir)/ext.cnf", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.crt", "-days", "2",
             "-subj", "/CN=fer-cam test CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.crt", "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
             "-out", "\(dir)/server.crt", "-days", "2", "-extfile", "\(dir)/ext.cnf"],
        ]
        for args in steps {
            let r = try runProcess("/usr/bin/openssl", args, timeout: 60)
            if r.status != 0 { throw MQTTTestError("openssl \(args.joined(separator: " ")): \(r.stderr)") }
        }
        return "listener \(port) 127.0.0.1\ncafile \(dir)/ca.crt\ncertfile \(dir)/server.crt\nkeyfile \(dir)/server.key"
    }

    var url: String { "mqtt://127.0.0.1:\(port)" }

    /// Starts the broker and waits until it accepts connections.
    func start() throws {
        let p = try SpawnedProcess(MQTTTools.broker, ["-c", "\(dir)/mosquitto.conf"])
        process = p
        MQTTTools.waitFor("mosquitto to listen on 127.0.0.1:\(port) (log: \(dir)/broker.log)") {
            guard p.isRunning else { return false }
            return (try? runProcess(MQTTTools.pub, ["-h", "127.0.0.1", "-p", "\(port)", "-t", "fer-test/ping", "-m", "x"] + adminArguments,
                                    timeout: 10).status) == 0
        }
    }

    /// SIGTERM (mosquitto saves its persistent sessions) and wait for the exit.
    func stop() {
        guard let p = process else { return }
        process = nil
        p.kill(SIGTERM)
        p.wait()
    }

    /// With users, clients log in as admin (added to every password file).
    var adminArguments: [String] { users.isEmpty ? [] : ["-u", "admin", "-P", "admin-pass"] }

    func publish(_ topic: String, _ message: String) throws {
        let r = try runProcess(MQTTTools.pub, ["-h", "127.0.0.1", "-p", "\(port)", "-t", topic, "-m", message, "-q", "1"] + adminArguments,
                               timeout: 30)
        if r.status != 0 { throw MQTTTestError("mosquitto_pub: \(r.stderr)") }
    }
}

/// mosquitto_sub with a persistent session (-c, QoS 1): it reconnects after a
/// broker restart and gets what was queued for it meanwhile.
final class TestSubscriber {
    let file: String
    private let process: SpawnedProcess

    /// Subscribes to `topics` and waits until a probe message published after it arrives.
    init(broker: TestBroker, topics: [String], id: String = "fer-test-sub-\(UUID().uuidString.prefix(8))") throws {
        file = "\(broker.dir)/\(id).out"
        process = try SpawnedProcess(MQTTTools.sub, ["-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-c", "-i", id, "-v",
                                                     "-t", "fer-test/ready"] + topics.flatMap { ["-t", $0] } + broker.adminArguments,
                                     stdout: file)
        MQTTTools.waitFor("mosquitto_sub to be subscribed") {
            try? broker.publish("fer-test/ready", "ready")
            return messages(on: "fer-test/ready").count > 0
        }
    }

    /// Every (topic, payload) received so far, in arrival order (payloads never hold a newline).
    var messages: [(topic: String, payload: String)] {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            guard let space = line.firstIndex(of: " ") else { return (String(line), "") }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }

    func messages(on topic: String) -> [String] { messages.filter { $0.topic == topic }.map(\.payload) }
}

/// fer-cam running in the background, stderr to a file.
final class BackgroundFerCam {
    let process: SpawnedProcess
    let stderrFile: String

    init(_ args: [String], dir: String, environment: [String: String] = [:]) throws {
        stderrFile = "\(dir)/fer-cam-\(UUID().uuidString.prefix(8)).stderr"
        process = try SpawnedProcess(try TestPaths.ferCamBinary(), args, stderr: stderrFile, environment: environment)
    }

    var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for the exit and returns the status.
    func waitForExit(seconds: Double = 180) -> Int32? {
        guard MQTTTools.waitFor("fer-cam to finish (stderr: \(stderrFile))", seconds: seconds, { !process.isRunning }) else {
            process.kill(SIGKILL)
            return nil
        }
        return process.wait()
    }
}

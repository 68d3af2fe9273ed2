// Test helpers for the MQTT end-to-end tests: a real Debian `mosquitto` broker
// (FERHarness.LocalBroker: free loopback port, own config, persistence in a
// temp dir) with users and TLS when asked, stopped and restarted at will; a
// `mosquitto_sub` subscriber with a persistent session writing `topic payload`
// lines to a file; waiting for a condition with a generous bound. No MQTT code
// of our own.
import FERHarness
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
    static func freePort() throws -> Int { try freeLoopbackTCPPort() }

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

/// mosquitto on 127.0.0.1:port, persistence in its own temp dir.
final class TestBroker {
    let dir: String
    let port: Int
    private let users: [String: String]
    private let broker: LocalBroker

    /// With `tls`, a second listener on tlsPort speaks TLS with a certificate for 127.0.0.1
    /// signed by a CA made for the test (caFile); the plain listener stays for the test's tools.
    private(set) var tlsPort: Int?
    var caFile: String { "\(dir)/ca.crt" }

    /// users: name → password; none means anonymous clients are allowed.
    init(users: [String: String] = [:], tls: Bool = false) throws {
        try MQTTTools.require()
        dir = NSTemporaryDirectory() + "fer-mqtt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var extra = users.isEmpty ? "" : "password_file \(dir)/passwords\n"
        if tls {
            let p = try MQTTTools.freePort()
            extra += try Self.tlsListener(dir: dir, port: p)
            tlsPort = p
        }
        let b = try LocalBroker(dir: dir, allowAnonymous: users.isEmpty, extraConfig: extra)
        broker = b
        port = b.port
        if !users.isEmpty {
            _ = FileManager.default.createFile(atPath: "\(dir)/passwords", contents: nil)
            for (name, password) in users.merging(["admin": "admin-pass"], uniquingKeysWith: { a, _ in a }) {
                let r = try runProcess(MQTTTools.passwd, ["-b", "\(dir)/passwords", name, password], timeout: 30)
                if r.status != 0 { throw MQTTTestError("mosquitto_passwd: \(r.stderr)") }
            }
        }
        self.users = users
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

    /// Starts the broker and waits (bounded) until it accepts connections.
    func start() throws { try broker.start() }

    /// SIGTERM (mosquitto saves its persistent sessions) and wait for the exit.
    func stop() { broker.stop() }

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

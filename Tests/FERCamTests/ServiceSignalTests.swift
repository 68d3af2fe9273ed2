// fer-cam as a daemon under signals (release binary, synthetic camera):
// SIGTERM during heavy output leaves only complete JSON lines ending with the
// open tracks' `end` events; SIGHUP after the log was moved (logrotate)
// writes to a new file at the same path, and the two files together hold
// every event exactly once. Also holds the small process helper the other
// Service*/Reconnect* tests use.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FERCam

/// A running fer-cam whose stderr goes to a file (no pipe to fill up).
final class Daemon {
    let process = Process()
    let stderrPath: String

    init(_ args: [String], environment extra: [String: String] = [:]) throws {
        stderrPath = NSTemporaryDirectory() + "fercam-daemon-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).err"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: try TestPaths.ferCamBinary())
        process.arguments = args + ["--model", TestModel.path]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits up to `seconds` for the exit; nil if still running (then killed).
    func waitForExit(within seconds: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// Sends SIGTERM and waits for the exit (a generous 30 s, reached only
    /// when the signal is ignored): the exit status, nil if it had to be killed.
    func terminate() -> Int32? {
        signal(SIGTERM)
        return waitForExit(within: 30)
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        unlink(stderrPath)
    }
}

/// A fresh temporary directory for one test.
func serviceTempDir() throws -> String {
    let dir = NSTemporaryDirectory() + "fercam-svc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Every line of a detection log as a JSON object; records an issue for a line that is not one.
func jsonObjects(_ path: String) -> [[String: Any]] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    if !text.isEmpty { #expect(text.hasSuffix("\n"), "\(path): last line is incomplete") }
    return text.split(separator: "\n").compactMap { line in
        let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        if o == nil { Issue.record("\(path): not a JSON object: \(line)") }
        return o
    }
}

func lineCount(_ path: String) -> Int {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
}

@Suite(.serialized) struct ServiceSignalTests {
    @Test func sigtermDuringHeavyOutputLeavesCompleteLinesAndEnds() throws {
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/events.jsonl"
        let d = try Daemon(["--source", "test", "--size", "320x240", "--update-interval", "0.01", "--log", log])
        #expect(Daemon.waitUntil(60) { lineCount(log) >= 20 }, "no events within 60 s: \(d.stderr)")
        let status = d.terminate()
        #expect(status == 0, "exit status \(String(describing: status)) (nil: SIGTERM ignored, killed): \(d.stderr)")
        let objects = jsonObjects(log)
        var open = Set<Int>()
        for o in objects {
            guard let event = o["event"] as? String, let track = o["track"] as? Int else { continue }
            if event == "start" { open.insert(track) }
            if event == "end" { #expect(open.remove(track) != nil, "end of track \(track) that was not open") }
        }
        #expect(open.isEmpty, "tracks without end after SIGTERM: \(open.sorted())")
        #expect(objects.last?["event"] as? String == "end", "the log should end with end events")
    }

    @Test func sighupAfterRotationWritesANewFileAndLosesNothing() throws {
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/events.jsonl"
        let rotated = dir + "/events.jsonl.1"
        let d = try Daemon(["--source", "test", "--size", "320x240", "--update-interval", "0.05", "--log", log])
        #expect(Daemon.waitUntil(60) { lineCount(log) >= 10 }, "no events within 60 s: \(d.stderr)")
        try FileManager.default.moveItem(atPath: log, toPath: rotated)
        usleep(300_000)   // events keep going to the moved file until SIGHUP
        d.signal(SIGHUP)
        #expect(Daemon.waitUntil(30) { lineCount(log) >= 5 }, "nothing written to the new file after SIGHUP: \(d.stderr)")
        d.signal(SIGTERM)
        #expect(d.waitForExit(within: 10) == 0, "\(d.stderr)")
        let old = jsonObjects(rotated), new = jsonObjects(log)
        #expect(!old.isEmpty && !new.isEmpty)
        // Exactly once: each (track, event, frame) appears once, every track starts once and ends once overall.
        var seen = Set<String>()
        var starts: [Int: Int] = [:], ends: [Int: Int] = [:]
        for o in old + new {
            guard let e = o["event"] as? String, let t = o["track"] as? Int, let f = o["frame"] as? Int else { continue }
            #expect(seen.insert("\(t)/\(e)/\(f)").inserted, "duplicate event \(e) of track \(t) at frame \(f)")
            if e == "start" { starts[t, default: 0] += 1 }
            if e == "end" { ends[t, default: 0] += 1 }
        }
        #expect(!starts.isEmpty)
        #expect(starts == ends, "start/end pairing across the two files: starts \(starts), ends \(ends)")
        #expect(starts.values.allSatisfy { $0 == 1 })
        // Frames never go backwards across the rotation.
        let lastOld = old.compactMap { $0["frame"] as? Int }.max() ?? 0
        let firstNew = new.compactMap { $0["frame"] as? Int }.min() ?? Int.max
        #expect(firstNew >= lastOld, "new file starts at frame \(firstNew), old ended at \(lastOld)")
        #expect(d.stderr.contains("reopened detection log"), "\(d.stderr)")
    }

    @Test func sighupRereadsTheConfigAndKeepsRunningOnABadOne() throws {
        let dir = try serviceTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let conf = dir + "/cam.conf"
        let log = dir + "/events.jsonl"
        try "size = 320x240\nupdate-interval = 5\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let d = try Daemon(["--config", conf, "--source", "test", "--log", log])
        #expect(Daemon.waitUntil(60) { lineCount(log) >= 1 }, "no events: \(d.stderr)")
        try "size = 320x240\nupdate-interval = 2\n".write(toFile: conf, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        #expect(Daemon.waitUntil(10) { d.stderr.contains("update-interval 2.0 s applied") }, "\(d.stderr)")
        try "size = 640x480\nupdate-interval = 2\n".write(toFile: conf, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        #expect(Daemon.waitUntil(10) { d.stderr.contains("changed size take effect after a restart") }, "\(d.stderr)")
        try "size = 320x240\nfps = fast\n".write(toFile: conf, atomically: true, encoding: .utf8)
        d.signal(SIGHUP)
        #expect(Daemon.waitUntil(10) { d.stderr.contains("config reload failed, keeping the running configuration") }, "\(d.stderr)")
        #expect(d.stderr.contains("key \"fps\""), "\(d.stderr)")
        usleep(300_000)
        #expect(d.process.isRunning, "a bad config on SIGHUP must not stop the daemon")
        d.signal(SIGTERM)
        #expect(d.waitForExit(within: 10) == 0, "\(d.stderr)")
    }
}

// fer-cam as a user meets it: argument validation, each bad input and its
// exit code, --help, and a clean stop on SIGTERM with a complete log.
// Runs the release binary (built by `swift build -c release --product fer-cam`).
import Foundation
import Testing
@testable import FERCam

@Suite(.serialized) struct CLITests {
    private func run(_ args: [String], env: [String: String]? = nil) throws -> ProcessResult {
        var e = env ?? ProcessInfo.processInfo.environment
        e["DISPLAY"] = env?["DISPLAY"]
        e["WAYLAND_DISPLAY"] = nil
        return try runProcess(try TestPaths.ferCamBinary(), args, environment: e)
    }

    @Test(arguments: [
        (["--size", "12"], "--size"),
        (["--detect-interval", "0"], "--detect-interval"),
        (["--scale-factor", "1.0"], "--scale-factor"),
        (["--smoothing", "0"], "--smoothing"),
        (["--ring", "0"], "--ring"),
        (["--max-face", "20"], "--max-face 20 is below --min-face 30"),
        (["--confirm-hits", "1"], "--confirm-hits"),
        (["--scan-period", "1"], "--scan-period"),
        (["0", "--source", "test"], "not both"),
        (["video0"], "DEVICE must be"),
    ])
    func usageErrorsExit64(args: [String], mention: String) throws {
        let r = try run(args)
        #expect(r.status == 64, "\(args): exit \(r.status), stderr \(r.stderr)")
        #expect(r.stderr.contains(mention), "\(args): stderr should mention \(mention): \(r.stderr)")
    }

    /// --min-face below what the cascade can find, or above the frame: exit 64, naming the fix.
    @Test func minFaceOutsideTheCascadeOrTheFrameExits64() throws {
        let small = try run(["--source", "test", "--frames", "3", "--min-face", "20", "--model", TestModel.path])
        #expect(small.status == 64, "stderr: \(small.stderr)")
        #expect(small.stderr.contains("--min-face 20") && small.stderr.contains("use --min-face 30"), "\(small.stderr)")
        let big = try run(["--source", "test", "--frames", "3", "--min-face", "600", "--model", TestModel.path])
        #expect(big.status == 64, "stderr: \(big.stderr)")
        #expect(big.stderr.contains("640x480") && big.stderr.contains("at most 480"), "\(big.stderr)")
    }

    @Test func missingCameraListsCamerasAndSuggestsTest() throws {
        let r = try run(["/dev/video97", "--model", TestModel.path])
        #expect(r.status == 66)
        #expect(r.stderr.contains("/dev/video97: no such device; connected cameras:"))
        if V4L2Source.captureDevices().isEmpty { #expect(r.stderr.contains("--source test")) }
    }

    @Test func notACaptureDeviceExits69() throws {
        let r = try run(["/dev/null", "--model", TestModel.path])
        #expect(r.status == 69)
        #expect(r.stderr.contains("not a V4L2 device"))
    }

    @Test func missingFilesExit66() throws {
        let video = try run(["--source", "/nonexistent/clip.mp4", "--model", TestModel.path])
        #expect(video.status == 66)
        let model = try run(["--source", "test", "--model", "/nonexistent/m.safetensors"])
        #expect(model.status == 66)
        #expect(model.stderr.contains("/nonexistent/m.safetensors"))
    }

    @Test func brokenModelExits78() throws {
        let path = NSTemporaryDirectory() + "fercam-cli-bad-\(UUID().uuidString).safetensors"
        try Data(repeating: 7, count: 64).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try run(["--source", "test", "--frames", "1", "--model", path])
        #expect(r.status == 78, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(path))
    }

    @Test func showWithoutADisplayIsRefused() throws {
        let r = try run(["--source", "test", "--show", "--model", TestModel.path])
        #expect(r.status == 69)
        #expect(r.stderr.contains("--show needs a display"))
    }

    @Test func helpTeachesWithExamples() throws {
        let r = try run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:") && r.stdout.contains("--source test") && r.stdout.contains("Exit codes"))
    }

    @Test func syntheticCameraProducesEvents() throws {
        let r = try run(["--source", "test", "--frames", "45", "--no-pace", "--model", TestModel.path, "--update-interval", "0"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = try LoggedEvent.parse(r.stdout)
        let starts = events.filter { $0.event == "start" }
        #expect(starts.count >= 2, "the two cartoon faces should be found: \(r.stdout)")
        #expect(starts.allSatisfy { $0.source == "test" })
        checkEventOrder(events)
    }

    @Test func sigtermStopsCleanlyWithACompleteLog() throws {
        let log = NSTemporaryDirectory() + "fercam-sigterm-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try TestPaths.ferCamBinary())
        p.arguments = ["--source", "test", "--log", log, "--model", TestModel.path]
        p.standardInput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until faces were logged, then stop it.
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline, ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").isEmpty { usleep(100_000) }
        p.terminate()   // SIGTERM
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let events = try LoggedEvent.parse(try String(contentsOfFile: log, encoding: .utf8))
        #expect(!events.isEmpty)
        checkEventOrder(events)   // every started track got its end
    }

    /// `q` typed in a terminal (a pseudo-terminal from script(1)) ends the run
    /// without Enter, the log is complete, and the terminal settings are back.
    @Test func qInTheTerminalQuitsAndRestoresIt() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            Issue.record("/usr/bin/script (util-linux) is missing"); return
        }
        let log = NSTemporaryDirectory() + "fercam-keys-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let bin = try TestPaths.ferCamBinary()
        let inner = "stty -g; \"\(bin)\" --source test --model \(TestModel.path) --log \(log) 2>/dev/null; echo rc=$?; stty -g"
        // q is typed once fer-cam has logged faces (so it has set up the terminal; a fixed sleep
        // raced with a slow start-up, and the q was echoed), at most 60 s on.
        let typeQ = "(i=0; while [ ! -s \(log) ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; printf q; sleep 3)"
        let r = try runProcess("/bin/sh", ["-c", "\(typeQ) | script -qfec '\(inner)' /dev/null"], timeout: 90)
        // A terminal ends lines with \r\n (one Character in Swift): drop the \r first.
        let lines = r.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(lines.contains("rc=0"), "fer-cam did not stop on q: \(r.stdout)")
        let settings = lines.filter { $0.contains(":") && !$0.contains(" ") }
        #expect(settings.count == 2 && settings[0] == settings[1], "terminal not restored: \(settings)")
        let events = try LoggedEvent.parse(try String(contentsOfFile: log, encoding: .utf8))
        checkEventOrder(events)
    }
}

// The shipped unit passes `systemd-analyze verify` with no output at all (it exits 0
// even on unknown keys, so any output fails) and `systemd-analyze security
// --offline=true` at exposure 2.0 or lower. No running systemd is needed.
import Testing
import Foundation

private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a program, returns (exit code, stdout+stderr).
private func run(_ args: [String], cwd: URL) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    p.currentDirectoryURL = cwd
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The unit as `make install` writes it, with ExecStart pointing at a binary that exists.
private func installedUnit() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fercam-unit-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let text = try String(contentsOf: packageRoot.appendingPathComponent("systemd/fer-cam@.service"), encoding: .utf8)
    // verify needs ExecStart to exist; /bin stands in for the install prefix.
    let unit = dir.appendingPathComponent("fer-cam@video0.service")
    try text.replacingOccurrences(of: "@BINDIR@/fer-cam", with: "/bin/true")
        .write(to: unit, atomically: true, encoding: .utf8)
    return unit
}

@Test func unitVerifiesWithoutAnyComplaint() throws {
    let unit = try installedUnit()
    let (code, out) = try run(["systemd-analyze", "verify", "--man=no", unit.lastPathComponent], cwd: unit.deletingLastPathComponent())
    #expect(code == 0)
    #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "", "systemd-analyze verify complained:\n\(out)")
}

@Test func unitExposureIsAtMostTwo() throws {
    let unit = try installedUnit()
    let (code, out) = try run(["systemd-analyze", "security", "--offline=true", "--no-pager", "--threshold=20", unit.lastPathComponent],
                              cwd: unit.deletingLastPathComponent())
    let line = out.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
    // "→ Overall exposure level for fer-cam@video0.service: 1.5 OK 🙂"
    let value = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
    print("systemd-analyze security: \(line)")
    #expect(code == 0, "exposure above 2.0:\n\(out)")
    #expect(value != nil && value! <= 2.0)
}

@Test func unitRunsTheServiceTheDocumentedWay() throws {
    let text = try String(contentsOf: packageRoot.appendingPathComponent("systemd/fer-cam@.service"), encoding: .utf8)
    for required in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "RestartPreventExitStatus=78",
                     "LogsDirectory=fer-cam", "DevicePolicy=closed", "DeviceAllow=/dev/%i rw", "--config /etc/fer-cam/%i.conf"] {
        #expect(text.contains(required), "unit lacks \(required)")
    }
}

// A private X server (Xvfb) for the window tests, started and stopped by the
// test itself. Xvfb picks a free display and reports it on stdout once it
// accepts connections (-displayfd), and the server is waited for on the way
// out, so one test's server never races the next one's (xvfb-run -a did: a
// dying server removed the socket of the new one on the same display).
// Not a window test itself; it only owns the server's lifetime.
import Foundation
import Testing

enum VirtualDisplay {
    static let server = "/usr/bin/Xvfb"

    /// Runs `body` with the environment of a fresh 800x600x24 display (DISPLAY
    /// set, XAUTHORITY cleared: the server has no authorization, local only).
    static func with<T>(_ body: ([String: String]) throws -> T) throws -> T {
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw TestSetupError("\(server) missing: run scripts/setup --tests (package xvfb)")
        }
        let x = Process()
        x.executableURL = URL(fileURLWithPath: server)
        x.arguments = ["-displayfd", "1", "-screen", "0", "800x600x24", "-nolisten", "tcp"]
        let out = Pipe(), err = Pipe()
        x.standardOutput = out
        x.standardError = err
        x.standardInput = FileHandle.nullDevice
        try x.run()
        let errLog = DrainedPipe(err)
        // SIGKILL: a child of a test thread inherits its blocked signals, SIGTERM
        // included, so Xvfb would never see a terminate(). It keeps nothing worth saving.
        defer {
            kill(x.processIdentifier, SIGKILL)
            x.waitUntilExit()
        }
        guard let number = readLine(out.fileHandleForReading, within: 30) else {
            let log = String(decoding: errLog.wait(until: Date(timeIntervalSinceNow: 5)) ?? Data(), as: UTF8.self)
            throw TestSetupError("\(server) reported no display within 30 s:\n\(log)")
        }
        var env = ProcessInfo.processInfo.environment
        env["DISPLAY"] = ":\(number)"
        env["XAUTHORITY"] = nil
        env["WAYLAND_DISPLAY"] = nil
        return try body(env)
    }

    /// The first line a pipe carries, or nil when none arrives in time.
    private static func readLine(_ handle: FileHandle, within seconds: Double) -> String? {
        let got = DispatchSemaphore(value: 0)
        let box = LineBox()
        Thread {
            var bytes = Data()
            while true {
                let d = handle.availableData
                if d.isEmpty { break }
                bytes.append(d)
                if bytes.contains(UInt8(ascii: "\n")) { break }
            }
            box.set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init))
            got.signal()
        }.start()
        guard got.wait(timeout: .now() + seconds) == .success, let line = box.get(),
              let n = Int(line.trimmingCharacters(in: .whitespaces)) else { return nil }
        return String(n)
    }

    private final class LineBox: @unchecked Sendable {
        private let lock = NSLock()
        private var line: String?
        func set(_ s: String?) { lock.lock(); line = s; lock.unlock() }
        func get() -> String? { lock.lock(); defer { lock.unlock() }; return line }
    }
}

/// A test's environment is not set up; the message names the fix.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

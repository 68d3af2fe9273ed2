// Test fixtures: tiny real baseline JPEGs (made once with ffmpeg's mjpeg encoder from a
// solid colour), a padder that makes a large but still valid JPEG (COM segments), and a
// structural JPEG checker (marker walk: SOI, segments, SOF dimensions, SOS, EOI).
import Foundation

enum TestJPEG {
    /// 32×24, solid rgb(32,192,64) (decodes as ≈ 32,191,62).
    static let green32x24: [UInt8] = Array(Data(base64Encoded: "/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgGBgcGBwgICAgICAkJCQoKCgkJCQkKCgoKCgoMDAwKCgoKCgoKDAwMDA0ODQ0NDA0ODg8PDxISEREVFRUZGR//xABNAAEBAAAAAAAAAAAAAAAAAAAAAQEBAQEAAAAAAAAAAAAAAAAAAAYHEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAGAAgAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AoCZZ0AAAAAA//9k=")!)

    /// 320×240, solid rgb(224,16,48).
    static let red320x240: [UInt8] = Array(Data(base64Encoded: "/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgGBgcGBwgICAgICAkJCQoKCgkJCQkKCgoKCgoMDAwKCgoKCgoKDAwMDA0ODQ0NDA0ODg8PDxISEREVFRUZGR//xABNAAEBAAAAAAAAAAAAAAAAAAAABgEBAQEAAAAAAAAAAAAAAAAAAAUHEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgA8AFAAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AkQExsoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD/9k=")!)

    /// `jpeg` with COM segments after SOI until it is at least `size` bytes; still a valid JPEG.
    static func padded(_ jpeg: [UInt8], to size: Int) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var missing = size - jpeg.count
        var fill: UInt8 = 0
        while missing > 0 {
            let payload = min(65_533, max(1, missing - 4))
            let length = payload + 2
            out += [0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)]
            out += [UInt8](repeating: 0x61 + fill % 26, count: payload)
            fill &+= 1
            missing -= payload + 4
        }
        out += jpeg.dropFirst(2)
        return out
    }

    struct Info: Equatable { var width: Int; var height: Int }

    /// Walks the markers: SOI first, length-prefixed segments, a SOF0/SOF2 with the
    /// dimensions, SOS followed by entropy data, EOI last. Returns nil on any violation.
    static func structure(_ b: [UInt8]) -> Info? {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8, b[b.count - 2] == 0xFF, b[b.count - 1] == 0xD9 else { return nil }
        var i = 2
        var info: Info?
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            if marker == 0xC0 || marker == 0xC2 {
                guard length >= 7 else { return nil }
                info = Info(width: Int(b[i + 7]) << 8 | Int(b[i + 8]), height: Int(b[i + 5]) << 8 | Int(b[i + 6]))
            }
            if marker == 0xDA { return info }  // scan follows; EOI already checked at the end
            i += 2 + length
        }
        return nil
    }

    /// Decodes with ImageMagick and returns the pixel at (x, y) as (r, g, b); nil when it cannot decode.
    static func decodePixel(_ jpeg: [UInt8], x: Int, y: Int) throws -> (Int, Int, Int)? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferstream-\(UUID().uuidString).jpg")
        try Data(jpeg).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let out = try Tools.run("convert", [url.path, "-format", "%[fx:int(255*p{\(x),\(y)}.r)],%[fx:int(255*p{\(x),\(y)}.g)],%[fx:int(255*p{\(x),\(y)}.b)]", "info:"])
        guard out.status == 0 else { return nil }
        let v = out.stdout.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return v.count == 3 ? (v[0], v[1], v[2]) : nil
    }
}

/// Finds and runs external tools (ImageMagick, Chromium) with a time limit.
enum Tools {
    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static func find(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String { "\(tool) is not installed; run scripts/setup --tests" }
    }

    static func run(_ tool: String, _ args: [String], timeout: Double = 30) throws -> Output {
        guard let path = find(tool) else { throw Missing(tool: tool) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read both pipes on other threads so a chatty tool never blocks on a full pipe.
        let outData = LockedData(), errData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(outPipe, outData), (errPipe, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        _ = group.wait(timeout: .now() + 5)
        return Output(status: p.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }
}

// The libraries the shim opens on first use (OnDemandLibraries: FFmpeg's libav*,
// OpenCV's imgcodecs and highgui): fer-cam links none of them, and a run maps
// only those it uses, read from the running process's /proc/PID/maps. Runs the
// release binary (built by `swift build -c release --product fer-cam`).
import Foundation
import FERHarness
import FERVision
import Testing

@Suite(.serialized) struct OnDemandLibrariesTests {
    private let ffmpeg = OnDemandLibraries.sonames.filter { $0.hasPrefix("libav") || $0.hasPrefix("libsw") }
    private let opencv = OnDemandLibraries.sonames.filter { $0.hasPrefix("libopencv_") }

    @Test func theyAreNamedAndNotLinked() throws {
        #expect(ffmpeg.count == 4 && opencv.count == 2, "\(OnDemandLibraries.sonames)")
        let dump = try runProcess("/usr/bin/objdump", ["-p", try TestPaths.ferCamBinary()]).stdout
        let needed = dump.split(separator: "\n").filter { $0.contains("NEEDED") }.compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(needed.contains { $0.hasPrefix("libopencv_objdetect") }, "no NEEDED entries found:\n\(dump)")
        for soname in OnDemandLibraries.sonames + ["libopencv_videoio.so"] {
            #expect(!needed.contains { $0.hasPrefix(soname) }, "fer-cam links \(soname): \(needed)")
        }
    }

    /// The shared objects mapped by fer-cam run with `args`, once its log has an event.
    private func mappedLibraries(_ args: [String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fer-cam-ondemand-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = "\(dir)/events.jsonl", err = "\(dir)/stderr.txt"
        let child = try SpawnedProcess(try TestPaths.ferCamBinary(), args + ["--model", TestModel.path, "--log", log],
                                       stderr: err, environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""])
        defer { child.kill(SIGTERM); child.wait() }
        let deadline = Date(timeIntervalSinceNow: 60)
        while ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").isEmpty && child.isRunning && Date() < deadline {
            usleep(20_000)
        }
        // (read to the end: /proc files report size 0)
        let maps = FileHandle(forReadingAtPath: "/proc/\(child.pid)/maps").map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        try #require(child.isRunning && !maps.isEmpty,
                     "fer-cam \(args) wrote no event while running: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
        return maps
    }

    /// How `soname` shows in /proc/PID/maps, whose paths name the real file:
    /// "libopencv_imgcodecs.so.406" is /usr/lib/…/libopencv_imgcodecs.so.4.6.0 there.
    private func file(_ soname: String) -> String {
        "/" + (soname.range(of: ".so").map { String(soname[..<$0.upperBound]) } ?? soname)
    }

    @Test func theTestCameraMapsNoneOfThem() throws {
        let maps = try mappedLibraries(["--source", "test", "--frames", "100000"])
        #expect(maps.contains("libopencv_objdetect"), "maps lack the linked OpenCV")
        for soname in OnDemandLibraries.sonames { #expect(!maps.contains(file(soname)), "the test camera mapped \(soname)") }
    }

    @Test func aVideoFileMapsFFmpegButNotImageCodecsOrWindows() throws {
        let clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let maps = try mappedLibraries(["--source", clip, "--pace"])
        for soname in ffmpeg { #expect(maps.contains(file(soname)), "a video run did not map \(soname)") }
        for soname in opencv { #expect(!maps.contains(file(soname)), "a video run mapped \(soname)") }
    }
}

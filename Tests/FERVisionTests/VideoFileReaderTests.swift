// VideoFileReader on ../shared/media/short_hamilton_clip.mp4 (640×360,
// 29.97 fps, 275 frames per its README), and its errors for a missing file
// and a file FFmpeg cannot open.

import Testing
@testable import FERVision

#if canImport(Glibc)
import Glibc
#endif

@Suite struct VideoFileReaderTests {
    @Test func readsEveryFrameOfTheClip() throws {
        let reader = try VideoFileReader(path: try TestPaths.media("short_hamilton_clip.mp4"))
        #expect(reader.width == 640 && reader.height == 360)
        #expect(abs(reader.fps - 29.97) < 0.05, "fps \(reader.fps)")
        #expect((260...310).contains(reader.frameCount), "container estimate \(reader.frameCount)")
        var frames = 0
        var first: BGRImage?
        var differs = false
        while let frame = try reader.next() {
            #expect(frame.width == 640 && frame.height == 360 && frame.pixels.count == 640 * 360 * 3)
            if let first { differs = differs || frame != first } else { first = frame }
            frames += 1
        }
        #expect((260...310).contains(frames), "read \(frames) frames")
        #expect(abs(frames - reader.frameCount) <= 5, "read \(frames), container says \(reader.frameCount)")
        #expect(reader.framesRead == frames)
        #expect(differs, "all frames identical")
        #expect(try reader.next() == nil)  // stays at the end
    }

    @Test func missingFileIsNotFound() {
        let path = "/nonexistent/clip.mp4"
        #expect(throws: VisionError.fileNotFound(kind: "video file", path: path)) { try VideoFileReader(path: path) }
    }

    @Test func fileThatIsNotAVideo() throws {
        let path = TestPaths.scratchDirectory() + "/clip.mp4"
        let f = try #require(fopen(path, "w"))
        fputs("not a video\n", f)
        fclose(f)
        do {
            _ = try VideoFileReader(path: path)
            Issue.record("opened a text file as video")
        } catch {
            guard case .unreadableVideo(path, _) = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains(path))
            #expect(error.exitCode == 66)
        }
    }
}

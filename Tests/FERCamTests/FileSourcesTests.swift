// Video files and still images as frame sources; the probe report.
import Foundation
import Testing
@testable import FERCam
import FERVision

@Suite struct FileSourcesTests {
    @Test func videoFramesCarryIndexTimeAndBothPlanes() throws {
        let src = try VideoFileSource(path: try TestPaths.requireMedia("short_hamilton_clip.mp4"))
        #expect(!src.isLive)
        var n = 0
        var last: Frame?
        while let f = try src.next() {
            #expect(f.index == n)
            #expect(f.width == 640 && f.height == 360 && f.bgr.width == 640)
            last = f
            n += 1
        }
        #expect(n == 275)
        let fps = try #require(src.nominalFPS)
        #expect(abs(last!.time - 274 / fps) < 1e-9)
        // The gray plane is the luminance of the colour one.
        let g = last!.gray, b = last!.bgr
        let px = b[320, 180]
        let y = 0.114 * Double(px.b) + 0.587 * Double(px.g) + 0.299 * Double(px.r)
        #expect(abs(Double(g[320, 180]) - y) <= 2)
    }

    @Test func aDirectoryIsReadInNameOrderOneSceneEach() throws {
        let src = try ImageSource(path: TestPaths.shared + "/media")
        #expect(src.paths.map { ($0 as NSString).lastPathComponent }
            == ["disgusted.jpg", "faces.jpg", "obama-720p.jpg", "sad.jpg", "surprised.jpg", "two_people.jpg"])
        var sequences: [Int] = []
        while let f = try src.next() { sequences.append(f.sequence) }
        #expect(sequences == [0, 1, 2, 3, 4, 5])
    }

    @Test func missingOrEmptyInputsAreInputMissing() throws {
        do { _ = try ImageSource(path: "/nonexistent-dir"); Issue.record("no error") } catch { #expect(error.exitCode == 66) }
        let empty = NSTemporaryDirectory() + "fercam-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        do { _ = try ImageSource(path: empty); Issue.record("no error") } catch { #expect(error.exitCode == 66) }
        do { _ = try VideoFileSource(path: "/nonexistent.mp4"); Issue.record("no error") } catch { #expect(error.exitCode == 66) }
    }

    @Test func interruptEndsAFileSource() throws {
        let src = try VideoFileSource(path: try TestPaths.requireMedia("short_hamilton_clip.mp4"))
        #expect(try src.next() != nil)
        src.interrupt()
        #expect(try src.next() == nil)
    }

    @Test func probeReportsWhatWasDelivered() throws {
        let report = try SourceProbe.run(SyntheticSource(width: 320, height: 240, pace: false), frames: 4)
        #expect(report.frames == 4 && report.width == 320 && report.height == 240)
        #expect(report.grayLevels > 20 && report.meanGray > 20)
        #expect(report.line.hasPrefix("probe: test: synthetic camera 320x240"))
    }
}

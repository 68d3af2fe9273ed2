// VisionError: every message names its path or size and a way to fix it,
// and each maps to the sysexits code the executables exit with.

import Testing
@testable import FERVision

@Suite struct VisionErrorTests {
    @Test(arguments: [
        (VisionError.fileNotFound(kind: "image file", path: "/a/b.jpg"), "/a/b.jpg", "check the path", Int32(66)),
        (.unreadableFile(kind: "image file", path: "/a/c.jpg", reason: "Permission denied"), "/a/c.jpg", "readable", 66),
        (.notAnImage(path: "/a/d.txt"), "/a/d.txt", "JPEG, PNG", 66),
        (.undecodableBytes(count: 12), "12 bytes", "JPEG, PNG", 66),
        (.notACascade(path: "/x.xml", reason: "r"), "/x.xml", "--cascade PATH", 78),
        (.cascadeNotFound(tried: ["/p1", "/p2"], fromFlag: false), "/p1, /p2", "apt-get install opencv-data", 78),
        (.cascadeNotFound(tried: ["/p3"], fromFlag: true), "/p3", "fix the path", 78),
        (.unreadableVideo(path: "/v.mp4", reason: "r"), "/v.mp4", "FFmpeg", 66),
        (.invalidImage(what: "gray image", width: 3, height: 4, reason: "r"), "3x4", "gray image", 70),
        (.unsupportedFormat(path: "/o.bmp"), "/o.bmp", ".png", 78),
        (.writeFailed(path: "/o.png", reason: "No such file or directory"), "/o.png", "directory exists", 73),
        (.noDisplay, "DISPLAY", "xvfb-run", 69),
        (.opencv(operation: "resize", message: "m"), "resize", "m", 70),
        (.libraryMissing(operation: "open video '/w.mp4'", message: "libavformat.so.59 cannot be loaded (x); install it with 'apt-get install libavformat59'"),
         "/w.mp4", "apt-get install libavformat59", 69),
    ])
    func messageNamesWhereAndHowToFix(error: VisionError, where place: String, fix: String, code: Int32) {
        #expect(error.description.contains(place), "\(error)")
        #expect(error.description.contains(fix), "\(error)")
        #expect(error.exitCode == code)
    }
}

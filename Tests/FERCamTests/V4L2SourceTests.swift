// The parts of V4L2Source that need no driver: device names, four-character
// codes, and how shim failures become exit codes. (Real drivers: V4L2DriverTests.)
import CV4L2
import Testing
@testable import FERCam

@Suite struct V4L2SourceTests {
    @Test func devicePaths() {
        #expect(V4L2Source.devicePath("0") == "/dev/video0")
        #expect(V4L2Source.devicePath("12") == "/dev/video12")
        #expect(V4L2Source.devicePath("/dev/video3") == "/dev/video3")
    }

    @Test func fourCharacterCodes() {
        #expect(V4L2Source.fourcc("YUYV") == 0x5659_5559)
        #expect(V4L2Source.fourcc("yuyv") == V4L2Source.fourcc("YUYV"))
        #expect(V4L2Source.fourcc("MJPEG") == V4L2Source.fourcc("MJPG"))
        #expect(V4L2Source.fourcc("I420") == V4L2Source.fourcc("YU12"))
        #expect(V4L2Source.fourcc("GRAY") == V4L2Source.fourcc("GREY"))
        #expect(V4L2Source.fourcc("ABCDE") == nil)
        #expect(V4L2Source.fourccString(V4L2Source.fourcc("NV12")!) == "NV12")
    }

    @Test func badPixelFormatFlagIsUsage() {
        var r = V4L2Request()
        r.pixelFormat = "NOPE5"
        do { _ = try V4L2Source(device: "/dev/null", request: r); Issue.record("no error") } catch {
            #expect(error.exitCode == 64)
        }
    }

    @Test func shimFailuresMapToSysexits() {
        let cases: [(fc_v4l2_status, Int32)] = [
            (FC_V4L2_NO_DEVICE, 66), (FC_V4L2_BUSY, 69), (FC_V4L2_PERMISSION, 69), (FC_V4L2_NOT_CAPTURE, 69),
            (FC_V4L2_NO_FORMAT, 69), (FC_V4L2_TIMEOUT, 69), (FC_V4L2_GONE, 69), (FC_V4L2_IO, 69), (FC_V4L2_INVALID, 70),
        ]
        for (status, code) in cases {
            #expect(V4L2Source.error(status, path: "/dev/video9", message: "m").exitCode == code, "status \(status.rawValue)")
        }
        #expect(V4L2Source.error(FC_V4L2_BUSY, path: "/dev/video9", message: "m").message.contains("device busy"))
    }
}

// The shim's pixel-format conversion (fc_pixel_convert, what each V4L2 read applies) on
// hand-made buffers: the gray plane is the same whether BGR is made too or not (NULL:
// nothing draws), and the BGR it makes is the expected one. Real drivers: V4L2DriverTests.
import CV4L2
import Testing
@testable import FERCam
import FERVision

@Suite struct PixelConvertTests {
    /// (gray, bgr?) from one conversion of `src` in format `fourcc`, rows of `bpl` bytes.
    private func convert(_ fourcc: String, width w: Int, height h: Int, bpl: Int, _ src: [UInt8],
                         color: Bool) throws -> (gray: [UInt8], bgr: [UInt8]?) {
        var info = fc_v4l2_info()
        info.width = UInt32(w); info.height = UInt32(h); info.bytes_per_line = UInt32(bpl)
        info.stream_fourcc = try #require(V4L2Source.fourcc(fourcc))
        var gray = [UInt8](repeating: 0, count: w * h)                 // (H, W)
        var bgr = [UInt8](repeating: 0, count: w * h * 3)              // (H, W, 3)
        let rc = gray.withUnsafeMutableBufferPointer { g in
            bgr.withUnsafeMutableBufferPointer { b in
                fc_pixel_convert(&info, src, src.count, g.baseAddress, color ? b.baseAddress : nil)
            }
        }
        #expect(rc == 0, "\(fourcc): fc_pixel_convert returned \(rc)")
        if !color { #expect(bgr.allSatisfy { $0 == 0 }, "\(fourcc): nothing written to BGR when it is not asked for") }
        return (gray, color ? bgr : nil)
    }

    private func bytes(_ n: Int, seed: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: ($0 * 37 + seed * 11) % 251) } }

    @Test(arguments: [6, 5])   // even and odd widths (4:2:2 pairs pixels)
    func grayIsTheSameWithOrWithoutBGR(width w: Int) throws {
        let h = 3
        let packed = bytes((w + 1) / 2 * 4 * h + 8, seed: 1)            // 4:2:2, rows of ceil(w/2)*4 bytes
        let planar = bytes(w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2) + 8, seed: 2)
        let cases: [(String, Int, [UInt8])] = [
            ("YUYV", (w + 1) / 2 * 4, packed), ("UYVY", (w + 1) / 2 * 4, packed),
            ("NV12", w, planar), ("NV21", w, planar), ("YU12", w, planar), ("YV12", w, planar),
            ("GREY", w, bytes(w * h, seed: 3)), ("BGR3", w * 3, bytes(w * h * 3, seed: 4)), ("RGB3", w * 3, bytes(w * h * 3, seed: 4)),
        ]
        for (f, bpl, src) in cases {
            let both = try convert(f, width: w, height: h, bpl: bpl, src, color: true)
            let grayOnly = try convert(f, width: w, height: h, bpl: bpl, src, color: false)
            #expect(grayOnly.gray == both.gray, "\(f) \(w)x\(h): gray differs when BGR is not made")
        }
    }

    @Test func conversionsGiveTheExpectedPixels() throws {
        // YUYV: gray is Y; a pair shares its chroma. Y 16 / 235 at neutral chroma are black / white.
        let yuyv = try convert("YUYV", width: 2, height: 1, bpl: 4, [16, 128, 235, 128], color: true)
        #expect(yuyv.gray == [16, 235])
        #expect(yuyv.bgr == [0, 0, 0, 255, 255, 255])
        // GREY: gray is the byte, BGR repeats it.
        let grey = try convert("GREY", width: 2, height: 1, bpl: 2, [7, 200], color: true)
        #expect(grey.gray == [7, 200] && grey.bgr == [7, 7, 7, 200, 200, 200])
        // RGB24 and BGR24 of the same pure red give the same BGR and the same gray (0.299 R).
        let rgb = try convert("RGB3", width: 1, height: 1, bpl: 3, [255, 0, 0], color: true)
        let bgr = try convert("BGR3", width: 1, height: 1, bpl: 3, [0, 0, 255], color: true)
        #expect(rgb.bgr == [0, 0, 255] && bgr.bgr == [0, 0, 255])
        #expect(rgb.gray == [76] && bgr.gray == [76])
        let redGrayOnly = try convert("RGB3", width: 1, height: 1, bpl: 3, [255, 0, 0], color: false)
        #expect(redGrayOnly.gray == [76])
    }

    @Test func aFrameWithoutColourDrawsOnItsGrayPlane() throws {
        let gray = try GrayImage(width: 2, height: 1, pixels: [10, 240])
        let frame = Frame(index: 0, time: 0, source: "/dev/video0", gray: gray, bgr: nil)
        #expect(frame.color == nil)
        #expect(frame.bgr[0, 0] == BGR(b: 10, g: 10, r: 10) && frame.bgr[1, 0] == BGR(b: 240, g: 240, r: 240))
    }
}

// ImageCodec: JPEG and PNG round trips, decoding the real photos, and the
// errors for a missing path, a file that is not an image, bytes that are not
// an image and an unknown extension (each a clear error, never a crash).

import Testing
@testable import FERVision

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ImageCodecTests {
    /// A smooth 64×48 colour gradient (JPEG-friendly).
    func gradient() -> BGRImage {
        var img = BGRImage(width: 64, height: 48)
        for y in 0..<48 {
            for x in 0..<64 {
                img[x, y] = BGR(b: UInt8(x * 4), g: UInt8(y * 5), r: UInt8((x + y) * 2))
            }
        }
        return img
    }

    @Test func jpegRoundTripKeepsSizeAndContent() throws {
        let img = gradient()
        let bytes = try ImageCodec.encodeJPEG(img, quality: 95)
        #expect(bytes.prefix(2) == [0xFF, 0xD8])
        let back = try ImageCodec.decode(bytes: bytes)
        #expect(back.width == 64 && back.height == 48)
        let diffs = zip(img.pixels, back.pixels).map { abs(Int($0) - Int($1)) }
        let mean = Double(diffs.reduce(0, +)) / Double(diffs.count)
        #expect(mean < 2.0, "mean abs difference \(mean)")
        #expect(diffs.max()! < 24, "max abs difference \(diffs.max()!)")
        // Lower quality gives fewer bytes.
        #expect(try ImageCodec.encodeJPEG(img, quality: 20).count < bytes.count)
    }

    @Test func grayJPEGRoundTrip() throws {
        let g = gradient().gray()
        let back = try ImageCodec.decode(bytes: try ImageCodec.encodeJPEG(g, quality: 95)).gray()
        #expect(back.width == g.width && back.height == g.height)
        let maxDiff = zip(g.pixels, back.pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(maxDiff < 16)
    }

    @Test func pngRoundTripIsExact() throws {
        let img = gradient()
        let bytes = try ImageCodec.encodePNG(img)
        #expect(bytes.prefix(4) == [0x89, 0x50, 0x4E, 0x47])
        #expect(try ImageCodec.decode(bytes: bytes) == img)
        let g = img.gray()
        #expect(try ImageCodec.decode(bytes: try ImageCodec.encodePNG(g)).gray() == g)
    }

    @Test func decodesRealPhotos() throws {
        let sad = try ImageCodec.decode(path: try TestPaths.media("sad.jpg"))
        #expect(sad.width == 400 && sad.height == 300)
        let two = try ImageCodec.decodeGray(path: try TestPaths.media("two_people.jpg"))
        #expect(two.width == 1126 && two.height == 661)
    }

    @Test func writeChoosesFormatByExtension() throws {
        let dir = TestPaths.scratchDirectory()
        let img = gradient()
        try ImageCodec.write(img, to: dir + "/a.png")
        try ImageCodec.write(img, to: dir + "/b.JPG", jpegQuality: 90)
        try ImageCodec.write(img.gray(), to: dir + "/c.jpeg")
        #expect(try ImageCodec.decode(path: dir + "/a.png") == img)
        #expect(try FileSystem.readAll(dir + "/b.JPG", kind: "test").prefix(2) == [0xFF, 0xD8])
        #expect(try ImageCodec.decode(path: dir + "/c.jpeg").width == 64)
        #expect(throws: VisionError.unsupportedFormat(path: dir + "/d.bmp")) { try ImageCodec.write(img, to: dir + "/d.bmp") }
        #expect(throws: VisionError.unsupportedFormat(path: dir + "/noext")) { try ImageCodec.write(img, to: dir + "/noext") }
    }

    @Test func writeIntoMissingDirectoryNamesThePath() {
        let path = "/nonexistent-dir-for-test/x.png"
        do {
            try ImageCodec.write(gradient(), to: path)
            Issue.record("write into a missing directory succeeded")
        } catch {
            guard case .writeFailed(path, _) = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains(path))
        }
    }

    @Test func missingFileIsNotFound() {
        let path = "/nonexistent/photo.jpg"
        #expect(throws: VisionError.fileNotFound(kind: "image file", path: path)) { try ImageCodec.decode(path: path) }
        #expect(VisionError.fileNotFound(kind: "image file", path: path).description.contains(path))
    }

    @Test func fileThatIsNotAnImage() throws {
        let path = TestPaths.scratchDirectory() + "/notes.jpg"
        let f = try #require(fopen(path, "w"))
        fputs("hello, not a JPEG\n", f)
        fclose(f)
        #expect(throws: VisionError.notAnImage(path: path)) { try ImageCodec.decode(path: path) }
        #expect(VisionError.notAnImage(path: path).description.contains(path))
    }

    @Test func directoryIsUnreadable() {
        let dir = TestPaths.scratchDirectory()
        do {
            _ = try ImageCodec.decode(path: dir)
            Issue.record("decoded a directory")
        } catch {
            guard case .unreadableFile(_, dir, _) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func bytesThatAreNotAnImage() throws {
        #expect(throws: VisionError.undecodableBytes(count: 5)) { try ImageCodec.decode(bytes: [1, 2, 3, 4, 5]) }
        #expect(throws: VisionError.undecodableBytes(count: 0)) { try ImageCodec.decode(bytes: []) }
        // The first 200 bytes of a real JPEG: headers, no image data.
        let head = Array(try FileSystem.readAll(try TestPaths.media("sad.jpg"), kind: "test").prefix(200))
        #expect(throws: VisionError.self) { try ImageCodec.decode(bytes: head) }
    }
}

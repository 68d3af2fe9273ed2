// MJPEGPart: one frame of a `multipart/x-mixed-replace` stream, built once per published
// frame and shared (same storage) by every viewer. It does not encode JPEG; the pipeline does.
import Hummingbird

/// A published frame: the complete multipart part (headers + JPEG + CRLF) and a view of the JPEG.
struct EncodedFrame: Sendable {
    static let boundary = "ferframe"
    static let contentType = "multipart/x-mixed-replace; boundary=\(boundary)"

    /// "--ferframe\r\n" headers "\r\n\r\n" JPEG "\r\n" — written as is to each viewer.
    let part: ByteBuffer
    /// The JPEG bytes alone (a slice sharing `part`'s storage), for /snapshot.jpg.
    let jpeg: ByteBuffer
    let index: Int
    let timestamp: Double
    let publishedAt: ContinuousClock.Instant

    init(jpeg bytes: [UInt8], index: Int, timestamp: Double, publishedAt: ContinuousClock.Instant) {
        let head = "--\(Self.boundary)\r\nContent-Type: image/jpeg\r\nContent-Length: \(bytes.count)\r\n"
            + "X-Frame-Index: \(index)\r\nX-Timestamp: \(timestamp)\r\n\r\n"
        var buffer = ByteBufferAllocator().buffer(capacity: head.utf8.count + bytes.count + 2)
        buffer.writeString(head)
        let jpegStart = buffer.writerIndex
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n")
        self.part = buffer
        self.jpeg = buffer.getSlice(at: jpegStart, length: bytes.count)!
        self.index = index
        self.timestamp = timestamp
        self.publishedAt = publishedAt
    }
}

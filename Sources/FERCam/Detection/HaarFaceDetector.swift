// FaceDetector over OpenCV's Haar cascade (FERVision.CascadeDetector): runs on
// a downscaled copy of the gray frame (detection is the bottleneck: 57-130 ms
// on 640×480, a quarter of that at 320×240) and maps boxes back to frame
// pixels. It does not schedule (see FrameProcessor) or track.
import Foundation
import FERVision

public final class HaarFaceDetector: FaceDetector {
    public let config: DetectionConfig
    private let cascade: CascadeDetector

    /// Loads the cascade; a missing file is .inputMissing, a bad one .configuration.
    public init(cascadePath: String, config: DetectionConfig) throws(CamError) {
        self.config = config
        guard FileManager.default.fileExists(atPath: cascadePath) else {
            throw .inputMissing("cascade \(cascadePath): no such file (install opencv-data, or pass --cascade PATH)")
        }
        do {
            cascade = try CascadeDetector(path: cascadePath)
        } catch {
            throw .configuration("cascade \(cascadePath): \(error) (is it an OpenCV cascade XML?)")
        }
    }

    /// Scale from frame pixels to detection pixels for a frame `width` wide.
    public func detectionScale(frameWidth width: Int) -> Double {
        config.detectWidth > 0 && width > config.detectWidth ? Double(config.detectWidth) / Double(width) : 1
    }

    public func detect(_ gray: GrayImage) throws(CamError) -> [Box] {
        let s = detectionScale(frameWidth: gray.width)
        var small = gray
        if s < 1 {
            let w = max(1, Int((Double(gray.width) * s).rounded()))
            let h = max(1, Int((Double(gray.height) * s).rounded()))
            small = gray.resized(width: w, height: h)   // INTER_AREA
        }
        if config.equalize { small = small.equalized() }
        let minSize = max(12, Int((Double(config.minFaceSize) * s).rounded()))
        let found: [Box]
        do {
            found = try cascade.detect(small, scaleFactor: config.scaleFactor, minNeighbors: config.minNeighbors, minSize: minSize)
        } catch {
            throw .internalError("face detection failed: \(error)")
        }
        let sx = Double(gray.width) / Double(small.width), sy = Double(gray.height) / Double(small.height)
        return found.map { b in
            let x = max(0, Int((Double(b.x) * sx).rounded())), y = max(0, Int((Double(b.y) * sy).rounded()))
            let w = min(gray.width - x, Int((Double(b.width) * sx).rounded()))
            let h = min(gray.height - y, Int((Double(b.height) * sy).rounded()))
            return Box(x: x, y: y, width: w, height: h)
        }
    }
}


// FacePreprocessor: THE one function that turns a face into network input,
// used by both the trainer and the daemon so they can never drift apart:
//   crop (box grown by `margin`; pixels outside the frame repeat the edge)
//   → resize to side×side (the model's input side; 48 for FER2013) with
//   INTER_AREA → optional histogram equalization → InputNormalization.apply.
// `normalize` runs the same tail on data that is already side×side (FER2013).
// It does not detect faces or batch them; callers point `into` at the slot
// of one face in their (N, 1, side, side) tensor.

import COpenCV
import FERNet

public struct FacePreprocessor: Sendable, Equatable {
    /// Side of a FER2013 face, and so of the networks fer-train makes: the one place this number is written.
    public static let fer2013Side = 48

    /// Side of the square network input this preprocessor writes.
    public let side: Int

    public let normalization: InputNormalization
    /// Fraction of the box's width/height added on each side before cropping.
    public let margin: Double
    /// Histogram-equalize the side×side face before normalizing.
    public let equalize: Bool

    public init(normalization: InputNormalization, side: Int = FacePreprocessor.fer2013Side,
                margin: Double = 0.0, equalize: Bool = false) {
        precondition(side > 0, "face side \(side) must be positive")
        self.side = side
        self.normalization = normalization
        self.margin = margin
        self.equalize = equalize
    }

    /// Writes the face in `box` of `gray` as side×side floats to `out`.
    /// out is (side, side) row-major. The box (after the margin) may leave the
    /// frame: those pixels repeat the nearest edge pixel, so the face stays
    /// centred and square. Precondition: box.width > 0 and box.height > 0.
    public func preprocess(gray: GrayImage, box: Box, into out: UnsafeMutablePointer<Float>) {
        let pixels = face(gray: gray, box: box)
        pixels.withUnsafeBufferPointer { normalize($0.baseAddress!, into: out) }
    }

    /// Convenience: the side×side floats of `preprocess(gray:box:into:)`.
    public func preprocess(gray: GrayImage, box: Box) -> [Float] {
        [Float](unsafeUninitializedCapacity: side * side) { buf, n in
            preprocess(gray: gray, box: box, into: buf.baseAddress!)
            n = side * side
        }
    }

    /// The tail on a face that is already side×side 8-bit gray: equalize (if
    /// set), then normalize. pixels is (side, side); out is (side, side).
    public func normalize(_ pixels: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        let n = side * side
        let norm = normalization
        guard equalize else {
            for i in 0..<n { out[i] = norm.apply(pixels[i]) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { eq in  // eq is (side, side)
            let s = Int32(side)
            Shim.mustSucceed(fc_equalize_hist(pixels, s, s, s, eq.baseAddress!, s), "equalize \(side)x\(side) face")
            for i in 0..<n { out[i] = norm.apply(eq[i]) }
        }
    }

    /// The side×side 8-bit face before equalization and normalization (crop
    /// with margin and edge padding, INTER_AREA resize), e.g. to save or show it.
    public func face(gray: GrayImage, box: Box) -> [UInt8] {
        precondition(box.width > 0 && box.height > 0, "face box \(box) must have a positive size")
        let region = box.expanded(by: margin)
        precondition(!region.isEmpty, "face box \(box) with margin \(margin) leaves nothing to crop")
        let side = self.side
        let (fw, fh) = (gray.width, gray.height)
        return [UInt8](unsafeUninitializedCapacity: side * side) { dst, count in  // dst is (side, side)
            gray.pixels.withUnsafeBufferPointer { frame in  // frame is (fh, fw)
                if region.clamped(to: fw, height: fh) == region {
                    // Inside the frame: resize straight from a view of it.
                    let origin = frame.baseAddress! + region.y * fw + region.x
                    Shim.mustSucceed(
                        fc_resize(origin, Int32(region.width), Int32(region.height), Int32(fw),
                                  dst.baseAddress!, Int32(side), Int32(side), Int32(side), 1, Int32(FC_INTER_AREA)),
                        "resize face \(region) to \(side)x\(side)")
                } else {
                    var padded = [UInt8](repeating: 0, count: region.width * region.height)  // (rh, rw)
                    Self.copyReplicatingEdges(frame.baseAddress!, fw, fh, region, into: &padded)
                    padded.withUnsafeBufferPointer { src in
                        Shim.mustSucceed(
                            fc_resize(src.baseAddress!, Int32(region.width), Int32(region.height),
                                      Int32(region.width), dst.baseAddress!, Int32(side), Int32(side),
                                      Int32(side), 1, Int32(FC_INTER_AREA)),
                            "resize face \(region) to \(side)x\(side)")
                    }
                }
            }
            count = side * side
        }
    }

    /// Copies `region` of a (fh, fw) frame; coordinates outside the frame
    /// take the nearest edge pixel (OpenCV's BORDER_REPLICATE).
    static func copyReplicatingEdges(_ frame: UnsafePointer<UInt8>, _ fw: Int, _ fh: Int, _ region: Box,
                                     into out: inout [UInt8]) {
        let rw = region.width
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<region.height {
                let sy = min(max(region.y + row, 0), fh - 1)
                let srcRow = frame + sy * fw
                let dstRow = dst.baseAddress! + row * rw
                for col in 0..<rw {
                    dstRow[col] = srcRow[min(max(region.x + col, 0), fw - 1)]
                }
            }
        }
    }
}

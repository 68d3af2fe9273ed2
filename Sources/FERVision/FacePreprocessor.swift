// FacePreprocessor: THE one function that turns a face into network input,
// used by both the trainer and the daemon so they can never drift apart:
//   crop (box grown by `margin`; pixels outside the frame repeat the edge)
//   → resize to 48×48 with INTER_AREA → optional histogram equalization
//   → InputNormalization.apply per pixel.
// `normalize48` runs the same tail on data that is already 48×48 (FER2013).
// It does not detect faces or batch them; callers point `into` at the slot
// of one face in their (N, 1, 48, 48) tensor.

import COpenCV
import FERNet

public struct FacePreprocessor: Sendable, Equatable {
    /// Side of the square network input.
    public static let side = 48

    public let normalization: InputNormalization
    /// Fraction of the box's width/height added on each side before cropping.
    public let margin: Double
    /// Histogram-equalize the 48×48 face before normalizing.
    public let equalize: Bool

    public init(normalization: InputNormalization, margin: Double = 0.0, equalize: Bool = false) {
        self.normalization = normalization
        self.margin = margin
        self.equalize = equalize
    }

    /// Writes the face in `box` of `gray` as 48×48 floats to `out`.
    /// out is (48, 48) row-major. The box (after the margin) may leave the
    /// frame: those pixels repeat the nearest edge pixel, so the face stays
    /// centred and square. Precondition: box.width > 0 and box.height > 0.
    public func preprocess(gray: GrayImage, box: Box, into out: UnsafeMutablePointer<Float>) {
        let face = face48(gray: gray, box: box)
        face.withUnsafeBufferPointer { normalize48($0.baseAddress!, into: out) }
    }

    /// Convenience: the 2304 floats of `preprocess(gray:box:into:)`.
    public func preprocess(gray: GrayImage, box: Box) -> [Float] {
        [Float](unsafeUninitializedCapacity: Self.side * Self.side) { buf, n in
            preprocess(gray: gray, box: box, into: buf.baseAddress!)
            n = Self.side * Self.side
        }
    }

    /// The tail on a face that is already 48×48 8-bit gray: equalize (if
    /// set), then normalize. pixels is (48, 48); out is (48, 48).
    public func normalize48(_ pixels: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        let n = Self.side * Self.side
        let norm = normalization
        guard equalize else {
            for i in 0..<n { out[i] = norm.apply(pixels[i]) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { eq in  // eq is (48, 48)
            let side = Int32(Self.side)
            Shim.mustSucceed(fc_equalize_hist(pixels, side, side, side, eq.baseAddress!, side), "equalize 48x48 face")
            for i in 0..<n { out[i] = norm.apply(eq[i]) }
        }
    }

    /// The 48×48 8-bit face before equalization and normalization (crop with
    /// margin and edge padding, INTER_AREA resize), e.g. to save or show it.
    public func face48(gray: GrayImage, box: Box) -> [UInt8] {
        precondition(box.width > 0 && box.height > 0, "face box \(box) must have a positive size")
        let region = box.expanded(by: margin)
        precondition(!region.isEmpty, "face box \(box) with margin \(margin) leaves nothing to crop")
        let side = Self.side
        let (fw, fh) = (gray.width, gray.height)
        return [UInt8](unsafeUninitializedCapacity: side * side) { dst, count in  // dst is (48, 48)
            gray.pixels.withUnsafeBufferPointer { frame in  // frame is (fh, fw)
                if region.clamped(to: fw, height: fh) == region {
                    // Inside the frame: resize straight from a view of it.
                    let origin = frame.baseAddress! + region.y * fw + region.x
                    Shim.mustSucceed(
                        fc_resize(origin, Int32(region.width), Int32(region.height), Int32(fw),
                                  dst.baseAddress!, Int32(side), Int32(side), Int32(side), 1, Int32(FC_INTER_AREA)),
                        "resize face \(region) to 48x48")
                } else {
                    var padded = [UInt8](repeating: 0, count: region.width * region.height)  // (rh, rw)
                    Self.copyReplicatingEdges(frame.baseAddress!, fw, fh, region, into: &padded)
                    padded.withUnsafeBufferPointer { src in
                        Shim.mustSucceed(
                            fc_resize(src.baseAddress!, Int32(region.width), Int32(region.height),
                                      Int32(region.width), dst.baseAddress!, Int32(side), Int32(side),
                                      Int32(side), 1, Int32(FC_INTER_AREA)),
                            "resize face \(region) to 48x48")
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

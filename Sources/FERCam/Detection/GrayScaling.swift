// Downscaling (area average) and histogram equalization of a gray plane, for
// the detector's small copy of the frame. Not used for the 48×48 face crops
// (that is FERVision.FacePreprocessor, shared with the trainer).
import FERVision

enum GrayScaling {
    /// Area-average downscale of src (H, W) to (dstHeight, dstWidth); dst must be smaller or equal.
    static func downscale(_ src: GrayImage, width dw: Int, height dh: Int) -> GrayImage {
        let sw = src.width, sh = src.height
        if dw == sw && dh == sh { return src }
        var out = [UInt8](repeating: 0, count: dw * dh)   // (dh, dw)
        // Source column span per destination column, precomputed.
        var x0s = [Int](repeating: 0, count: dw), x1s = [Int](repeating: 0, count: dw)
        for x in 0..<dw {
            x0s[x] = x * sw / dw
            x1s[x] = max(x0s[x] + 1, (x + 1) * sw / dw)
        }
        src.pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { d in
                for y in 0..<dh {
                    let y0 = y * sh / dh, y1 = max(y0 + 1, (y + 1) * sh / dh)
                    for x in 0..<dw {
                        let a = x0s[x], b = x1s[x]
                        var sum = 0
                        for yy in y0..<y1 {
                            let row = yy * sw
                            for xx in a..<b { sum += Int(s[row + xx]) }
                        }
                        let n = (y1 - y0) * (b - a)
                        d[y * dw + x] = UInt8((sum + n / 2) / n)
                    }
                }
            }
        }
        return GrayImage(width: dw, height: dh, pixels: out)
    }

    /// Classic histogram equalization (cumulative histogram mapped to 0...255).
    static func equalize(_ img: GrayImage) -> GrayImage {
        var hist = [Int](repeating: 0, count: 256)
        for p in img.pixels { hist[Int(p)] += 1 }
        let total = img.pixels.count
        guard let minIndex = hist.firstIndex(where: { $0 > 0 }) else { return img }
        let cdfMin = hist[minIndex]
        guard total > cdfMin else { return img }
        var lut = [UInt8](repeating: 0, count: 256)
        var cdf = 0
        for v in 0..<256 {
            cdf += hist[v]
            lut[v] = UInt8(max(0, min(255, ((cdf - cdfMin) * 255 + (total - cdfMin) / 2) / (total - cdfMin))))
        }
        return GrayImage(width: img.width, height: img.height, pixels: img.pixels.map { lut[Int($0)] })
    }
}

// im2col / col2im for square kernels over one input plane set, writing the
// rows of a (Cin*k*k, cols) matrix. Rows are ordered (c, ky, kx), matching the
// conv weight layout (Cout, Cin, kH, kW); columns of one sample are (oy, ox).
// Only plain loops: the stride-1 case copies whole row segments.

struct ConvGeometry {
    let cin: Int, h: Int, w: Int
    let kernel: Int, stride: Int, padding: Int
    var ho: Int { (h + 2 * padding - kernel) / stride + 1 }
    var wo: Int { (w + 2 * padding - kernel) / stride + 1 }
    var rows: Int { cin * kernel * kernel }

    /// The ox range whose input column ix = ox*stride - padding + kx lies inside [0, w).
    @inline(__always)
    func validColumns(_ kx: Int) -> (lo: Int, hi: Int) {
        // ix >= 0  <=>  ox >= ceil((padding - kx) / stride)
        let a = padding - kx
        let lo = a <= 0 ? 0 : (a + stride - 1) / stride
        // ix <= w-1  <=>  ox <= floor((w - 1 + padding - kx) / stride)
        let b = w - 1 + padding - kx
        let hi = b < 0 ? 0 : min(wo, b / stride + 1)
        return (lo, max(lo, hi))
    }
}

/// Writes the im2col rows `rowRange` of one sample into `col` (row stride `ldcol`).
/// `plane(c)` gives input channel c's (H, W) plane.
@inline(__always)
func im2colRows(_ g: ConvGeometry, rows rowRange: Range<Int>, plane: (Int) -> UnsafePointer<Float>,
                col: UnsafeMutablePointer<Float>, ldcol: Int) {
    let k = g.kernel, s = g.stride, p = g.padding, ho = g.ho, wo = g.wo, h = g.h, w = g.w
    for r in rowRange {
        let c = r / (k * k), ky = (r / k) % k, kx = r % k
        let src = plane(c)
        let dstRow = col + r * ldcol
        let (lo, hi) = g.validColumns(kx)
        for oy in 0..<ho {
            let dst = dstRow + oy * wo
            let iy = oy * s - p + ky
            if iy < 0 || iy >= h {
                dst.update(repeating: 0, count: wo)
                continue
            }
            if lo > 0 { dst.update(repeating: 0, count: lo) }
            if hi < wo { (dst + hi).update(repeating: 0, count: wo - hi) }
            let srcRow = src + iy * w - p + kx
            if s == 1 {
                if hi > lo { (dst + lo).update(from: srcRow + lo, count: hi - lo) }
            } else {
                var ox = lo
                while ox < hi { dst[ox] = srcRow[ox * s]; ox += 1 }
            }
        }
    }
}

/// Adds the col rows of input channels `channels` of one sample back into their
/// planes (the adjoint of im2col). Planes must be zeroed (or hold a sum) before.
@inline(__always)
func col2imChannels(_ g: ConvGeometry, channels: Range<Int>, plane: (Int) -> UnsafeMutablePointer<Float>,
                    col: UnsafePointer<Float>, ldcol: Int) {
    let k = g.kernel, s = g.stride, p = g.padding, ho = g.ho, wo = g.wo, h = g.h, w = g.w
    for c in channels {
        let dstPlane = plane(c)
        for ky in 0..<k {
            for kx in 0..<k {
                let r = (c * k + ky) * k + kx
                let srcRow = col + r * ldcol
                let (lo, hi) = g.validColumns(kx)
                if hi <= lo { continue }
                for oy in 0..<ho {
                    let iy = oy * s - p + ky
                    if iy < 0 || iy >= h { continue }
                    let dst = dstPlane + iy * w - p + kx
                    let src = srcRow + oy * wo
                    if s == 1 {
                        var ox = lo
                        while ox < hi { dst[ox] += src[ox]; ox += 1 }
                    } else {
                        var ox = lo
                        while ox < hi { dst[ox * s] += src[ox]; ox += 1 }
                    }
                }
            }
        }
    }
}

// Fast path for stride 1 with "same" padding (Ho = H, Wo = W, e.g. 3x3 pad 1):
// a col row is the whole input plane shifted by d = (ky-p)*W + (kx-p), so one
// block copy per row plus zeroing of the rows and columns that fall outside.

extension ConvGeometry {
    var isSameStrideOne: Bool { stride == 1 && ho == h && wo == w }

    /// For col row (ky, kx): the shift d, the valid output rows, and the invalid column ranges.
    @inline(__always)
    func shift(_ ky: Int, _ kx: Int) -> (d: Int, rowLo: Int, rowHi: Int, leftZero: Int, rightZero: Int) {
        let dy = ky - padding, dx = kx - padding
        return (dy * w + dx, max(0, -dy), min(h, h - dy), max(0, -dx), max(0, dx))
    }
}

/// im2col rows `rowRange` of one sample for the same-size stride-1 case.
@inline(__always)
func im2colRowsSame(_ g: ConvGeometry, rows rowRange: Range<Int>, plane: (Int) -> UnsafePointer<Float>,
                    col: UnsafeMutablePointer<Float>, ldcol: Int) {
    let k = g.kernel, h = g.h, w = g.w, hw = h * w
    for r in rowRange {
        let c = r / (k * k), ky = (r / k) % k, kx = r % k
        let src = plane(c)
        let dst = col + r * ldcol
        let s = g.shift(ky, kx)
        // Rows entirely outside the input.
        if s.rowLo > 0 { dst.update(repeating: 0, count: s.rowLo * w) }
        if s.rowHi < h { (dst + s.rowHi * w).update(repeating: 0, count: (h - s.rowHi) * w) }
        // One block copy for the valid rows, clamped to the plane.
        let t0 = max(s.rowLo * w, -s.d), t1 = min(s.rowHi * w, hw - s.d)
        if t1 > t0 { (dst + t0).update(from: src + t0 + s.d, count: t1 - t0) }
        // Columns whose input column lies outside (they picked up a neighbouring row).
        if s.leftZero > 0 || s.rightZero > 0 {
            for oy in s.rowLo..<s.rowHi {
                let row = dst + oy * w
                for ox in 0..<s.leftZero { row[ox] = 0 }
                for ox in (w - s.rightZero)..<w { row[ox] = 0 }
            }
        }
    }
}

/// col2im of input channels `channels` of one sample for the same-size stride-1 case.
/// Overwrites the planes (no zeroing needed first): the centre tap (shift 0, k = 2p+1)
/// covers every position and is copied, the other taps are added. Zeroes the col
/// entries that belong to no input position (the col buffer is scratch).
@inline(__always)
func col2imChannelsSame(_ g: ConvGeometry, channels: Range<Int>, plane: (Int) -> UnsafeMutablePointer<Float>,
                        col: UnsafeMutablePointer<Float>, ldcol: Int) {
    let k = g.kernel, h = g.h, w = g.w, hw = h * w, p = g.padding
    for c in channels {
        let dst = plane(c)
        dst.update(from: col + ((c * k + p) * k + p) * ldcol, count: hw)
        for ky in 0..<k {
            for kx in 0..<k where ky != p || kx != p {
                let r = (c * k + ky) * k + kx
                let src = col + r * ldcol
                let s = g.shift(ky, kx)
                if s.leftZero > 0 || s.rightZero > 0 {
                    for oy in s.rowLo..<s.rowHi {
                        let row = src + oy * w
                        for ox in 0..<s.leftZero { row[ox] = 0 }
                        for ox in (w - s.rightZero)..<w { row[ox] = 0 }
                    }
                }
                let t0 = max(s.rowLo * w, -s.d), t1 = min(s.rowHi * w, hw - s.d)
                if t1 > t0 { Kernels.add(src + t0, into: dst + t0 + s.d, t1 - t0) }
            }
        }
    }
}

// Small planes (deep layers): per-row block copies are too short to pay, so the
// planes are first copied into zero-padded planes and each col row is gathered
// through a precomputed offset table (no bounds checks, no edge cases).

struct PaddedGather {
    let geometry: ConvGeometry
    let hp: Int, wp: Int
    /// (k*k, Ho*Wo) offsets into a padded plane, one row per tap (ky, kx).
    let offsets: [Int32]

    init(_ g: ConvGeometry) {
        geometry = g
        hp = g.h + 2 * g.padding
        wp = g.w + 2 * g.padding
        var o: [Int32] = []
        o.reserveCapacity(g.kernel * g.kernel * g.ho * g.wo)
        for ky in 0..<g.kernel {
            for kx in 0..<g.kernel {
                for oy in 0..<g.ho { for ox in 0..<g.wo { o.append(Int32((oy * g.stride + ky) * (g.w + 2 * g.padding) + ox * g.stride + kx)) } }
            }
        }
        offsets = o
    }

    var paddedPlane: Int { hp * wp }

    /// Copies plane(c) of the given sample into padded (Cin, hp, wp) with zero borders.
    @inline(__always)
    func pad(plane: (Int) -> UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let g = geometry, p = g.padding
        for c in 0..<g.cin {
            let dst = padded + c * paddedPlane, src = plane(c)
            if p > 0 {
                dst.update(repeating: 0, count: p * wp)
                (dst + (p + g.h) * wp).update(repeating: 0, count: p * wp)
            }
            for y in 0..<g.h {
                let row = dst + (y + p) * wp
                for x in 0..<p { row[x] = 0; row[p + g.w + x] = 0 }
                (row + p).update(from: src + y * g.w, count: g.w)
            }
        }
    }

    /// Gathers all col rows of one sample from its padded planes into col (rows, ldcol).
    @inline(__always)
    func gather(padded: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>, ldcol: Int) {
        let g = geometry, taps = g.kernel * g.kernel, hw = g.ho * g.wo
        offsets.withUnsafeBufferPointer { ob in
            let offs = ob.baseAddress!
            for c in 0..<g.cin {
                let src = padded + c * paddedPlane
                for t in 0..<taps {
                    let dst = col + (c * taps + t) * ldcol, o = offs + t * hw
                    for q in 0..<hw { dst[q] = src[Int(o[q])] }
                }
            }
        }
    }
}

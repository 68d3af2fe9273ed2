// Winograd F(2x2, 3x3) for 3x3, stride-1, pad-1 convolutions in the inference
// engine: 16 multiplies per 2x2 output tile and input channel instead of 36.
//   weights  U = G g G^T          (4x4 per (cout, cin)), stored (16, Cout, Cin)
//   inputs   V = B^T d B          (4x4 per tile and cin), stored (16, Cin, T)
//   products M[k] = U[k] x V[k]   (16 GEMMs, (Cout, T))
//   outputs  Y = A^T M A          (2x2 per tile) + bias, ReLU
// with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
// A^T = [1 1 1 0; 0 1 -1 -1]. Tiles cover odd sizes too (outputs past the edge are dropped).

import CBLAS
import CGEMM

enum Winograd {
    /// Whether this CPU runs the AVX-512 transforms (cwinograd).
    static let vectorTransformsAvailable = cwino_available() != 0

    /// (16, Cout, Cin) transformed weights from (Cout, Cin, 3, 3).
    static func transformWeights(_ w: [Float], cout: Int, cin: Int) -> [Float] {
        var u = [Float](repeating: 0, count: 16 * cout * cin)
        for co in 0..<cout {
            for ci in 0..<cin {
                let g = Array(w[((co * cin + ci) * 9)..<((co * cin + ci) * 9 + 9)])
                // t = G g (4x3)
                var t = [Float](repeating: 0, count: 12)
                for j in 0..<3 {
                    let g0 = g[j], g1 = g[3 + j], g2 = g[6 + j]
                    t[j] = g0
                    t[3 + j] = 0.5 * (g0 + g1 + g2)
                    t[6 + j] = 0.5 * (g0 - g1 + g2)
                    t[9 + j] = g2
                }
                // U = t G^T (4x4)
                for i in 0..<4 {
                    let t0 = t[i * 3], t1 = t[i * 3 + 1], t2 = t[i * 3 + 2]
                    let row = [t0, 0.5 * (t0 + t1 + t2), 0.5 * (t0 - t1 + t2), t2]
                    for j in 0..<4 { u[((i * 4 + j) * cout + co) * cin + ci] = row[j] }
                }
            }
        }
        return u
    }

    struct Layout {
        let cin: Int, cout: Int, h: Int, w: Int
        var tilesY: Int { (h + 1) / 2 }
        var tilesX: Int { (w + 1) / 2 }
        var tilesPerSample: Int { tilesY * tilesX }
        /// Floats of scratch for `samples` samples: V (16, Cin, T), M (16, Cout, T) and row buffers.
        func scratch(samples: Int) -> Int { 16 * (cin + cout) * tilesPerSample * samples + rowScratch }
        var rowScratch: Int { max(16 * (tilesX + 2), cwino_input_scratch(Int32(h), Int32(w))) }
        /// Tile rows per band of the AVX-512 path: the bands' transformed tiles V and
        /// products M (16 x (Cin + Cout) floats per tile) take about `bandBytes` at most, so
        /// they stay in L2 between the transforms and the GEMMs; bands differ by one row at most.
        func bandRows(samples: Int, bandBytes: Int = Winograd.bandBytes) -> Int {
            let perRow = 64 * (cin + cout) * tilesX * samples
            let bands = (tilesY * perRow + bandBytes - 1) / bandBytes
            return (tilesY + max(1, bands) - 1) / max(1, bands)
        }
        /// Whether U[k] is packed in cgemm's wide panels: few tiles per sample (12x12 and 6x6
        /// planes) with 64 or more input channels (fer-vgg here: 128->128 @12x12 0.28 -> 0.25 ms,
        /// 256->256 @6x6 0.35 -> 0.25 ms); narrow ones on larger planes.
        var prefersWidePanels: Bool { tilesPerSample < 48 && cin >= 64 }
    }

    /// L2 budget of one band of the AVX-512 path (see `Layout.bandRows`): 512 KiB measured
    /// best here (fer-vgg 32->32 @48x48 at batch 1: 0.33 ms unbanded, 0.28 with 256 or 512 KiB,
    /// 0.32 with 1 MiB).
    static let bandBytes = 512 << 10

    /// Convolves samples first..<first+count of x (channel-major (Cin, N, H, W)) into
    /// y (channel-major (Cout, N, H, W)); `scratch` holds layout.scratch(samples: count) floats.
    /// `vectorTransforms` (only where `vectorTransformsAvailable`) runs the transforms with
    /// AVX-512 in C, band by band of `bandRows` tile rows (default: `Layout.bandRows`);
    /// otherwise the portable Swift transforms run along whole tile rows of the whole plane,
    /// so their loops are contiguous and vectorise.
    /// `packedU` (16 x U[k] packed once) runs the GEMMs with cgemm instead of OpenBLAS.
    static func convolve(_ l: Layout, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, batch n: Int, first: Int, count: Int,
                         u: UnsafePointer<Float>, bias: UnsafePointer<Float>, relu: Bool, scratch: UnsafeMutablePointer<Float>,
                         vectorTransforms: Bool = false, packedU: [PackedMatrix]? = nil, bandRows: Int? = nil) {
        if vectorTransforms {
            let band = max(1, bandRows ?? l.bandRows(samples: count))
            var by0 = 0
            while by0 < l.tilesY {
                let by1 = min(l.tilesY, by0 + band)
                convolveBand(l, rows: by0..<by1, x: x, y: y, batch: n, first: first, count: count, u: u, bias: bias, relu: relu,
                             scratch: scratch, packedU: packedU)
                by0 = by1
            }
            return
        }
        let h = l.h, w = l.w, hw = h * w, ty = l.tilesY, tx = l.tilesX, tps = l.tilesPerSample
        let t = tps * count, cin = l.cin, cout = l.cout
        let v = scratch, m = scratch + 16 * cin * t
        let rows = m + 16 * cout * t          // 16 row buffers of tx + 2 floats
        let ld = tx + 2
        let e = rows, o = rows + 4 * ld        // E_r, O_r: even/odd columns of the 4 source rows
        let re = rows + 8 * ld, ro = rows + 12 * ld  // after the row (B^T) combination
        let vStride = cin * t
        // Input transform: V[k][c][tile]
        for c in 0..<cin {
            for j in 0..<count {
                let plane = x + (c * n + first + j) * hw
                for by in 0..<ty {
                    // Source rows 2by-1 ... 2by+2, split into E[m] = row[2m-1], O[m] = row[2m] (zero outside).
                    for r in 0..<4 {
                        let iy = 2 * by - 1 + r
                        let er = e + r * ld, or = o + r * ld
                        if iy < 0 || iy >= h {
                            er.update(repeating: 0, count: tx + 1); or.update(repeating: 0, count: tx + 1)
                            continue
                        }
                        let src = plane + iy * w
                        er[0] = 0
                        for mm in 0...tx {
                            let ie = 2 * mm - 1, io = 2 * mm
                            if mm > 0 { er[mm] = ie < w ? src[ie] : 0 }
                            or[mm] = io < w ? src[io] : 0
                        }
                    }
                    // B^T d over the 4 rows, for the even and the odd halves.
                    let cnt = tx + 1
                    for i in 0..<cnt {
                        let e0 = e[i], e1 = e[ld + i], e2 = e[2 * ld + i], e3 = e[3 * ld + i]
                        re[i] = e0 - e2; re[ld + i] = e1 + e2; re[2 * ld + i] = e2 - e1; re[3 * ld + i] = e1 - e3
                        let o0 = o[i], o1 = o[ld + i], o2 = o[2 * ld + i], o3 = o[3 * ld + i]
                        ro[i] = o0 - o2; ro[ld + i] = o1 + o2; ro[2 * ld + i] = o2 - o1; ro[3 * ld + i] = o1 - o3
                    }
                    // (B^T d) B along each row: 4 values per tile, contiguous over the tiles of this row.
                    let tileBase = c * t + j * tps + by * tx
                    for i in 0..<4 {
                        let a = re + i * ld, b = ro + i * ld
                        let v0 = v + (i * 4) * vStride + tileBase, v1 = v0 + vStride, v2 = v1 + vStride, v3 = v2 + vStride
                        for bx in 0..<tx {
                            let en = a[bx + 1], oc = b[bx]
                            v0[bx] = a[bx] - en
                            v1[bx] = oc + en
                            v2[bx] = en - oc
                            v3[bx] = oc - b[bx + 1]
                        }
                    }
                }
            }
        }
        multiply(l, tiles: t, u: u, v: v, m: m, packedU: packedU)
        // Output transform: Y = A^T M A, plus bias and ReLU, along tile rows.
        let mStride = cout * t
        let top0 = rows, top1 = rows + ld, bot0 = rows + 2 * ld, bot1 = rows + 3 * ld  // (tx) outputs each
        for co in 0..<cout {
            let b = bias[co]
            for j in 0..<count {
                let plane = y + (co * n + first + j) * hw
                for by in 0..<ty {
                    let base = m + co * t + j * tps + by * tx
                    for bx in 0..<tx {
                        @inline(__always) func at(_ i: Int) -> Float { base[i * mStride + bx] }
                        // A^T M (rows), then A (columns)
                        let s00 = at(0) + at(4) + at(8), s01 = at(1) + at(5) + at(9)
                        let s02 = at(2) + at(6) + at(10), s03 = at(3) + at(7) + at(11)
                        let s10 = at(4) - at(8) - at(12), s11 = at(5) - at(9) - at(13)
                        let s12 = at(6) - at(10) - at(14), s13 = at(7) - at(11) - at(15)
                        var q0 = s00 + s01 + s02 + b, q1 = s01 - s02 - s03 + b
                        var q2 = s10 + s11 + s12 + b, q3 = s11 - s12 - s13 + b
                        if relu { q0 = max(q0, 0); q1 = max(q1, 0); q2 = max(q2, 0); q3 = max(q3, 0) }
                        top0[bx] = q0; top1[bx] = q1; bot0[bx] = q2; bot1[bx] = q3
                    }
                    // Interleave into the two output rows (the last column/row may fall outside).
                    let oy = 2 * by
                    let r0 = plane + oy * w
                    for bx in 0..<(w / 2) { r0[2 * bx] = top0[bx]; r0[2 * bx + 1] = top1[bx] }
                    if w % 2 == 1 { r0[w - 1] = top0[tx - 1] }
                    if oy + 1 < h {
                        let r1 = r0 + w
                        for bx in 0..<(w / 2) { r1[2 * bx] = bot0[bx]; r1[2 * bx + 1] = bot1[bx] }
                        if w % 2 == 1 { r1[w - 1] = bot0[tx - 1] }
                    }
                }
            }
        }
    }

    /// The AVX-512 path for tile rows `rows` of the samples: V (16, Cin, T) and M (16, Cout, T)
    /// hold only this band's T = rows.count * tilesX * count tiles.
    private static func convolveBand(_ l: Layout, rows band: Range<Int>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                                     batch n: Int, first: Int, count: Int, u: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                     relu: Bool, scratch: UnsafeMutablePointer<Float>, packedU: [PackedMatrix]?) {
        let h = Int32(l.h), w = Int32(l.w), hw = l.h * l.w, by0 = Int32(band.lowerBound), by1 = Int32(band.upperBound)
        let tb = band.count * l.tilesX, t = tb * count   // tiles per sample in the band, in all
        let v = scratch, m = scratch + 16 * l.cin * t, rows = m + 16 * l.cout * t
        for c in 0..<l.cin {
            for j in 0..<count {
                cwino_input_transform(h, w, by0, by1, x + (c * n + first + j) * hw, v + c * t + j * tb, l.cin * t, rows)
            }
        }
        multiply(l, tiles: t, u: u, v: v, m: m, packedU: packedU)
        for co in 0..<l.cout {
            for j in 0..<count {
                cwino_output_transform(h, w, by0, by1, m + co * t + j * tb, l.cout * t, y + (co * n + first + j) * hw, bias[co], relu ? 1 : 0)
            }
        }
    }

    /// The 16 GEMMs: M[k] (Cout, T) = U[k] (Cout, Cin) x V[k] (Cin, T).
    private static func multiply(_ l: Layout, tiles t: Int, u: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                 m: UnsafeMutablePointer<Float>, packedU: [PackedMatrix]?) {
        let cin = l.cin, cout = l.cout
        for k in 0..<16 {
            if let packedU {
                packedU[k].multiply(v + k * cin * t, ldb: t, n: t, into: m + k * cout * t, ldc: t, bias: nil, relu: false)
                continue
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(t), Int32(cin),
                        1, u + k * cout * cin, Int32(cin), v + k * cin * t, Int32(t), 0, m + k * cout * t, Int32(t))
        }
    }
}

// Kernels: small vectorised reductions over raw Float buffers (sums, dot
// products, squared deviations). Float addition is not reassociated by the
// compiler, so these keep 16 lanes of partial sums explicitly.

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

enum Kernels {
    /// Sum of p[0..<n].
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n { acc += load16(p + i); i += 16 }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Sum of a[i] * b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n { acc += load16(a + i) * load16(b + i); i += 16 }
        var s = acc.sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Sum of (p[i] - mean)^2.
    @inline(__always)
    static func squaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        let m = SIMD16<Float>(repeating: mean)
        var i = 0
        while i + 16 <= n { let d = load16(p + i) - m; acc += d * d; i += 16 }
        var s = acc.sum()
        while i < n { let d = p[i] - mean; s += d * d; i += 1 }
        return s
    }
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

extension Kernels {
    /// y[i] = max(x[i], 0).
    @inline(__always)
    static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let zero = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n { store16({ let v = load16(x + i); return v.replacing(with: 0, where: v .< zero) }(), y + i); i += 16 }
        while i < n { y[i] = max(x[i], 0); i += 1 }
    }

    /// dx[i] = y[i] > 0 ? dy[i] : 0 (ReLU backward from its output).
    @inline(__always)
    static func reluBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let zero = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            store16(load16(dy + i).replacing(with: 0, where: load16(y + i) .<= zero), dx + i)
            i += 16
        }
        while i < n { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
    }

    /// Sums of d and of d * (x - mean), where d = dy masked by y > 0 (or dy when y is nil).
    @inline(__always)
    static func maskedSums(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ n: Int,
                           mean: Float) -> (Float, Float) {
        var a = SIMD16<Float>(repeating: 0), b = SIMD16<Float>(repeating: 0)
        let zero = SIMD16<Float>(repeating: 0), vm = SIMD16<Float>(repeating: mean)
        var i = 0
        if let y {
            while i + 16 <= n {
                let d = load16(dy + i).replacing(with: 0, where: load16(y + i) .<= zero)
                a += d; b += d * (load16(x + i) - vm); i += 16
            }
            var sa = a.sum(), sb = b.sum()
            while i < n { if y[i] > 0 { sa += dy[i]; sb += dy[i] * (x[i] - mean) }; i += 1 }
            return (sa, sb)
        }
        while i + 16 <= n { let d = load16(dy + i); a += d; b += d * (load16(x + i) - vm); i += 16 }
        var sa = a.sum(), sb = b.sum()
        while i < n { sa += dy[i]; sb += dy[i] * (x[i] - mean); i += 1 }
        return (sa, sb)
    }

    /// Batch-norm input gradient: dx = k * (m * d - sdy - h * sdyh) with h = (x - mean) * istd and
    /// d = dy masked by y > 0 when y is given (fused ReLU).
    @inline(__always)
    static func batchNormBackward(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>?,
                                  _ dx: UnsafeMutablePointer<Float>, _ n: Int,
                                  k: Float, m: Float, sdy: Float, sdyh: Float, mean: Float, istd: Float) {
        let vk = SIMD16<Float>(repeating: k), vm = SIMD16<Float>(repeating: m), vmean = SIMD16<Float>(repeating: mean)
        let vi = SIMD16<Float>(repeating: istd)
        let vs = SIMD16<Float>(repeating: sdy), vh = SIMD16<Float>(repeating: sdyh), zero = SIMD16<Float>(repeating: 0)
        var i = 0
        if let y {
            while i + 16 <= n {
                let d = load16(dy + i).replacing(with: 0, where: load16(y + i) .<= zero)
                let h = (load16(x + i) - vmean) * vi
                store16(vk * (vm * d - vs - h * vh), dx + i); i += 16
            }
            while i < n { let d = y[i] > 0 ? dy[i] : 0; dx[i] = k * (m * d - sdy - (x[i] - mean) * istd * sdyh); i += 1 }
            return
        }
        while i + 16 <= n {
            let h = (load16(x + i) - vmean) * vi
            store16(vk * (vm * load16(dy + i) - vs - h * vh), dx + i); i += 16
        }
        while i < n { dx[i] = k * (m * dy[i] - sdy - (x[i] - mean) * istd * sdyh); i += 1 }
    }

    /// Training normalisation: y = (x - mean) * istd * g + b (then max(., 0) when relu).
    @inline(__always)
    static func normalize(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                          mean: Float, istd: Float, g: Float, b: Float, relu: Bool) {
        scaleShift(x, y, n, scale: istd * g, shift: b - mean * istd * g, relu: relu)
    }

    /// y = x * scale + shift (then max(., 0) when relu).
    @inline(__always)
    static func scaleShift(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, scale: Float, shift: Float, relu: Bool) {
        let vs = SIMD16<Float>(repeating: scale), vb = SIMD16<Float>(repeating: shift), zero = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            let o = load16(x + i) * vs + vb
            store16(relu ? o.replacing(with: 0, where: o .< zero) : o, y + i)
            i += 16
        }
        while i < n { let o = x[i] * scale + shift; y[i] = relu ? max(o, 0) : o; i += 1 }
    }
}

extension Kernels {
    /// dst[i] += src[i].
    @inline(__always)
    static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n { store16(load16(dst + i) + load16(src + i), dst + i); i += 16 }
        while i < n { dst[i] += src[i]; i += 1 }
    }
}

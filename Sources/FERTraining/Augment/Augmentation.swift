// On-the-fly augmentation of one 48×48 8-bit face: horizontal flip, shift,
// rotation and scale (one bilinear warp with edge replication), brightness and
// contrast, and optional random erasing. Works in the pixel domain so the
// normalization after it is the daemon's (FacePreprocessor). It draws no
// random numbers of its own: parameters come from a seeded generator.
import Foundation

/// How strong the random augmentation is. `.none` turns it off.
public struct AugmentationConfig: Codable, Sendable, Equatable {
    /// Flip left-right with probability 1/2.
    public var flip: Bool = true
    /// Largest shift in pixels, each axis (a random crop of the padded face).
    public var maxShift: Float = 4
    /// Largest rotation in degrees, either way.
    public var maxRotation: Float = 10
    /// Scale drawn from 1 ± this.
    public var scale: Float = 0.1
    /// Brightness offset drawn from ± this fraction of 255.
    public var brightness: Float = 0.15
    /// Contrast factor drawn from 1 ± this (around the image mean).
    public var contrast: Float = 0.2
    /// Probability of erasing one random rectangle (2–15 % of the face) with a random gray.
    public var erase: Float = 0.25

    public init() {}

    public static let none: AugmentationConfig = {
        var c = AugmentationConfig()
        c.flip = false; c.maxShift = 0; c.maxRotation = 0; c.scale = 0; c.brightness = 0; c.contrast = 0; c.erase = 0
        return c
    }()
}

/// One concrete augmentation.
public struct AugmentParams: Sendable, Equatable {
    public var flip = false
    /// Shift in pixels (positive moves the face right / down).
    public var dx: Float = 0, dy: Float = 0
    /// Rotation in degrees; positive turns clockwise on screen (y grows downwards).
    public var degrees: Float = 0
    public var scale: Float = 1
    /// Added to every pixel, in 0…255 units.
    public var brightness: Float = 0
    public var contrast: Float = 1
    /// Erased rectangle (x, y, w, h) and its gray value, or nil.
    public var erase: (x: Int, y: Int, w: Int, h: Int, value: UInt8)?

    public init(flip: Bool = false, dx: Float = 0, dy: Float = 0, degrees: Float = 0, scale: Float = 1,
                brightness: Float = 0, contrast: Float = 1) {
        self.flip = flip; self.dx = dx; self.dy = dy; self.degrees = degrees; self.scale = scale
        self.brightness = brightness; self.contrast = contrast
    }

    public static let identity = AugmentParams()

    public static func == (a: AugmentParams, b: AugmentParams) -> Bool {
        a.flip == b.flip && a.dx == b.dx && a.dy == b.dy && a.degrees == b.degrees && a.scale == b.scale
            && a.brightness == b.brightness && a.contrast == b.contrast
            && a.erase?.x == b.erase?.x && a.erase?.y == b.erase?.y && a.erase?.w == b.erase?.w
            && a.erase?.h == b.erase?.h && a.erase?.value == b.erase?.value
    }

    /// Draws parameters; the draw order is fixed so a seed always gives the same result.
    public static func random(_ c: AugmentationConfig, using rng: inout SplitMix64) -> AugmentParams {
        var p = AugmentParams()
        p.flip = c.flip && rng.next() & 1 == 1
        p.dx = rng.uniform(-c.maxShift, c.maxShift)
        p.dy = rng.uniform(-c.maxShift, c.maxShift)
        p.degrees = rng.uniform(-c.maxRotation, c.maxRotation)
        p.scale = 1 + rng.uniform(-c.scale, c.scale)
        p.brightness = 255 * rng.uniform(-c.brightness, c.brightness)
        p.contrast = 1 + rng.uniform(-c.contrast, c.contrast)
        if rng.chance(c.erase) {
            let side = Float(Augment.side)
            let area = rng.uniform(0.02, 0.15) * side * side
            let aspect = exp(rng.uniform(log(0.3), log(3.3)))
            let w = max(1, min(Augment.side, Int((area * aspect).squareRoot())))
            let h = max(1, min(Augment.side, Int((area / aspect).squareRoot())))
            let x = Int(rng.next() % UInt64(Augment.side - w + 1))
            let y = Int(rng.next() % UInt64(Augment.side - h + 1))
            p.erase = (x, y, w, h, UInt8(rng.next() % 256))
        }
        return p
    }

    var isGeometricIdentity: Bool { dx == 0 && dy == 0 && degrees == 0 && scale == 1 }
}

public enum Augment {
    public static let side = FaceDataset.side

    /// Mirrors a (48, 48) image left-right.
    public static func flipHorizontal(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>) {
        precondition(src.count == side * side && dst.count == side * side)
        for y in 0 ..< side {
            let row = y * side
            for x in 0 ..< side { dst[row + x] = src[row + side - 1 - x] }
        }
    }

    /// Writes the augmented (48, 48) image `src` into `dst` (which must not alias it).
    public static func apply(_ p: AugmentParams, _ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>) {
        precondition(src.count == side * side && dst.count == side * side)
        if p.isGeometricIdentity {
            if p.flip { flipHorizontal(src, into: dst) } else { _ = dst.initialize(from: src) }
        } else {
            warp(p, src, into: dst)
        }
        if p.brightness != 0 || p.contrast != 1 { photometric(p, dst) }
        if let e = p.erase {
            for y in e.y ..< e.y + e.h { for x in e.x ..< e.x + e.w { dst[y * side + x] = e.value } }
        }
    }

    /// Convenience over arrays: the augmented copy of a (48, 48) image.
    public static func apply(_ p: AugmentParams, _ src: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: side * side)
        src.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { apply(p, s, into: $0) } }
        return out
    }

    /// Inverse-maps every output pixel through shift, rotation, scale and flip; bilinear, edges replicated.
    private static func warp(_ p: AugmentParams, _ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>) {
        let c = Float(side - 1) / 2
        let theta = p.degrees * .pi / 180
        // Inverse of (rotate by theta, then scale): rotate by -theta, divide by scale.
        let cosT = cos(theta) / p.scale, sinT = sin(theta) / p.scale
        let maxI = side - 1
        for y in 0 ..< side {
            let v = Float(y) - c - p.dy
            for x in 0 ..< side {
                let u = Float(x) - c - p.dx
                var sx = cosT * u + sinT * v + c
                let sy = -sinT * u + cosT * v + c
                if p.flip { sx = Float(maxI) - sx }
                let fx0 = sx.rounded(.down), fy0 = sy.rounded(.down)
                let ax = sx - fx0, ay = sy - fy0
                let x0 = min(max(Int(fx0), 0), maxI), x1 = min(max(Int(fx0) + 1, 0), maxI)
                let y0 = min(max(Int(fy0), 0), maxI), y1 = min(max(Int(fy0) + 1, 0), maxI)
                let top = Float(src[y0 * side + x0]) * (1 - ax) + Float(src[y0 * side + x1]) * ax
                let bottom = Float(src[y1 * side + x0]) * (1 - ax) + Float(src[y1 * side + x1]) * ax
                let value = top * (1 - ay) + bottom * ay
                dst[y * side + x] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
    }

    /// v' = (v - mean) * contrast + mean + brightness, clamped to 0…255.
    private static func photometric(_ p: AugmentParams, _ img: UnsafeMutableBufferPointer<UInt8>) {
        var sum = 0
        for v in img { sum += Int(v) }
        let mean = Float(sum) / Float(img.count)
        let offset = mean * (1 - p.contrast) + p.brightness
        for i in img.indices {
            let v = Float(img[i]) * p.contrast + offset
            img[i] = UInt8(min(max(v.rounded(), 0), 255))
        }
    }
}

// Dropout (inverted): in training each value is zeroed with probability
// `rate` and the rest scaled by 1/(1-rate), so inference is the identity.
// The mask comes from the network's SeededRandom, so runs are reproducible.

public final class Dropout: Layer {
    public let rate: Float
    public var workers = 1
    private let rng: SeededRandom
    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer(), maskBuffer = Buffer(), inBuffer = Buffer()
    private var mask: Tensor?  // same layout as the input: 0 or 1/(1-rate)

    public init(rate: Float, rng: SeededRandom) {
        precondition(rate >= 0 && rate < 1, "dropout rate \(rate) must be in [0, 1)")
        self.rate = rate
        self.rng = rng
    }

    public func forward(_ xIn: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else { mask = nil; return xIn }
        let x = denseInput(xIn, &inBuffer)
        let y = out.like(x), m = maskBuffer.like(x)
        let xp = x.data, yp = y.data, mp = m.data
        let keep = 1 - rate, scale = 1 / keep
        for i in 0..<x.count {
            let v: Float = rng.nextUniform() < keep ? scale : 0
            mp[i] = v
            yp[i] = xp[i] * v
        }
        mask = m
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let m = mask else { return dyIn }  // rate 0: identity
        let dy = matchLayout(dyIn, m, &dyBuffer)
        let dx = dxBuffer.like(m)
        let mp = m.data, dyp = dy.data, dxp = dx.data
        for i in 0..<m.count { dxp[i] = dyp[i] * mp[i] }
        return dx
    }
}

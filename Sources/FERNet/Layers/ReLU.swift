// ReLU: y = max(x, 0) elementwise; backward passes the gradient where y > 0.
// The output keeps the input's memory layout.

public final class ReLU: Layer {
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer(), inBuffer = Buffer()
    private var output: Tensor?

    public init() {}

    public func forward(_ xIn: Tensor, training: Bool) -> Tensor {
        let x = denseInput(xIn, &inBuffer)
        let y = out.like(x)
        let xp = x.data, yp = y.data
        Parallel.forRanges(x.count, workers: workers) { r in
            Kernels.relu(xp + r.lowerBound, yp + r.lowerBound, r.count)
        }
        output = training ? y : nil
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let y = output else { preconditionFailure("ReLU: backward without a training forward") }
        let dy = matchLayout(dyIn, y, &dyBuffer)
        let dx = dxBuffer.like(y)
        let yp = y.data, dyp = dy.data, dxp = dx.data
        Parallel.forRanges(y.count, workers: workers) { r in
            Kernels.reluBackward(yp + r.lowerBound, dyp + r.lowerBound, dxp + r.lowerBound, r.count)
        }
        return dx
    }
}

// BatchNorm: per-channel normalisation over (N, H, W) of a 4-D input, or over N
// of a 2-D (N, C) input, then scale (weight, "gamma") and shift (bias, "beta").
// Training uses batch statistics (biased variance) and updates the running
// statistics PyTorch-style: running = (1 - m) * running + m * batch, with the
// unbiased batch variance. Inference uses the running statistics.

public final class BatchNorm: Layer {
    public let name: String
    public let channels: Int
    public let epsilon: Float, momentum: Float
    public let weight: Parameter  // (C), gamma, initialised to 1
    public let bias: Parameter    // (C), beta, initialised to 0
    public let runningMean: Tensor  // (C)
    public let runningVar: Tensor   // (C)
    public var workers = 1

    private var out = Buffer(), dxBuffer = Buffer(), xhatBuffer = Buffer()
    private var invStd = [Float]()   // (C) 1/sqrt(var + eps) of the last training batch
    private var trainedShape: [Int]? // shape of the last training forward

    public init(name: String, channels: Int, epsilon: Float, momentum: Float) {
        self.name = name
        self.channels = channels
        self.epsilon = epsilon
        self.momentum = momentum
        weight = Parameter(name: "\(name).weight", shape: [channels], decays: false)
        bias = Parameter(name: "\(name).bias", shape: [channels], decays: false)
        runningMean = Tensor(shape: [channels])
        runningVar = Tensor(shape: [channels])
        weight.value.data.update(repeating: 1, count: channels)
        runningVar.data.update(repeating: 1, count: channels)
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [(name: String, tensor: Tensor)] {
        [("\(name).running_mean", runningMean), ("\(name).running_var", runningVar)]
    }

    /// Per channel c: the segments (pointer offsets) holding its values, each `length` long.
    private struct Segments {
        let count: Int, length: Int, stride: Int, channelStride: Int
        var perChannel: Int { count * length }
    }

    private func segments(_ x: Tensor) -> Segments {
        if x.rank == 2 {
            precondition(x.shape[1] == channels, "\(name): expected (N, \(channels)), got \(x.shape)")
            return Segments(count: x.shape[0], length: 1, stride: x.strides[0], channelStride: x.strides[1])
        }
        precondition(x.rank == 4 && x.shape[1] == channels && x.hasContiguousPlanes, "\(name): expected (N, \(channels), H, W) with contiguous planes, got \(x.shape)")
        let hw = x.shape[2] * x.shape[3]
        if x.isChannelMajor { return Segments(count: 1, length: x.shape[0] * hw, stride: 0, channelStride: x.strides[1]) }
        return Segments(count: x.shape[0], length: hw, stride: x.strides[0], channelStride: x.strides[1])
    }

    private func output(like x: Tensor, _ buffer: inout Buffer) -> Tensor {
        x.isDense ? buffer.like(x) : buffer.rowMajor(x.shape)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let seg = segments(x)
        let y = output(like: x, &out)
        let yseg = segments(y)
        let xp = x.data, yp = y.data
        let gamma = weight.value.data, beta = bias.value.data
        let rm = runningMean.data, rv = runningVar.data
        let eps = epsilon, m = momentum
        if !training {
            Parallel.forRanges(channels, workers: workers) { range in
                for c in range {
                    let scale = gamma[c] / (rv[c] + eps).squareRoot()
                    let shift = beta[c] - rm[c] * scale
                    for s in 0..<seg.count {
                        let src = xp + c * seg.channelStride + s * seg.stride
                        let dst = yp + c * yseg.channelStride + s * yseg.stride
                        for i in 0..<seg.length { dst[i] = src[i] * scale + shift }
                    }
                }
            }
            return y
        }
        if invStd.count != channels { invStd = [Float](repeating: 0, count: channels) }
        let xhat = output(like: x, &xhatBuffer)
        let hp = xhat.data
        let total = seg.perChannel
        invStd.withUnsafeMutableBufferPointer { inv in
            let invp = inv.baseAddress!
            Parallel.forRanges(channels, workers: workers) { range in
                for c in range {
                    // Mean and variance in Double over the channel's values (two passes).
                    var sum: Double = 0
                    for s in 0..<seg.count {
                        sum += Double(Kernels.sum(xp + c * seg.channelStride + s * seg.stride, seg.length))
                    }
                    let mean = Float(sum / Double(total))
                    var sq: Double = 0
                    for s in 0..<seg.count {
                        sq += Double(Kernels.squaredDeviation(xp + c * seg.channelStride + s * seg.stride, seg.length, mean: mean))
                    }
                    let variance = Float(sq / Double(total))
                    let istd = 1 / (variance + eps).squareRoot()
                    invp[c] = istd
                    let g = gamma[c], bt = beta[c]
                    for s in 0..<seg.count {
                        let src = xp + c * seg.channelStride + s * seg.stride
                        let yoff = c * yseg.channelStride + s * yseg.stride
                        let h = hp + yoff, dst = yp + yoff
                        for i in 0..<seg.length {
                            let v = (src[i] - mean) * istd
                            h[i] = v
                            dst[i] = v * g + bt
                        }
                    }
                    let unbiased = total > 1 ? Float(sq / Double(total - 1)) : variance
                    rm[c] = (1 - m) * rm[c] + m * mean
                    rv[c] = (1 - m) * rv[c] + m * unbiased
                }
            }
        }
        trainedShape = x.shape
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let shape = trainedShape, let xhat = xhatBuffer.tensor else { preconditionFailure("\(name): backward without a training forward") }
        precondition(dyIn.shape == shape, "\(name): gradient shape \(dyIn.shape) differs from \(shape)")
        // Work in xhat's layout.
        let dy = dyIn.sameLayout(as: xhat) ? dyIn : { let t = xhat.zerosLike(); t.assign(dyIn.toArray()); return t }()
        let seg = segments(xhat)
        let dx = dxBuffer.like(xhat)
        let hp = xhat.data, dyp = dy.data, dxp = dx.data
        let gamma = weight.value.data, dgamma = weight.grad.data, dbeta = bias.grad.data
        let inv = invStd
        let total = Float(seg.perChannel)
        inv.withUnsafeBufferPointer { invb in
            let invp = invb.baseAddress!
            Parallel.forRanges(channels, workers: workers) { range in
                for c in range {
                    var sdy: Double = 0, sdyh: Double = 0
                    for s in 0..<seg.count {
                        let off = c * seg.channelStride + s * seg.stride
                        sdy += Double(Kernels.sum(dyp + off, seg.length))
                        sdyh += Double(Kernels.dot(dyp + off, hp + off, seg.length))
                    }
                    dbeta[c] += Float(sdy)
                    dgamma[c] += Float(sdyh)
                    // dx = gamma*istd/M * (M*dy - sum(dy) - xhat*sum(dy*xhat))
                    let k = gamma[c] * invp[c] / total
                    let mdy = Float(sdy), mdyh = Float(sdyh)
                    for s in 0..<seg.count {
                        let off = c * seg.channelStride + s * seg.stride
                        let d = dyp + off, h = hp + off, o = dxp + off
                        for i in 0..<seg.length { o[i] = k * (total * d[i] - mdy - h[i] * mdyh) }
                    }
                }
            }
        }
        return dx
    }
}

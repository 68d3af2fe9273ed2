// BatchNorm: per-channel normalisation over (N, H, W) of a 4-D input, or over N
// of a 2-D (N, C) input, then scale (weight, "gamma") and shift (bias, "beta"),
// optionally followed by a fused ReLU (the network fuses "batchNorm, relu").
// Training uses batch statistics (biased variance) and updates the running
// statistics PyTorch-style: running = (1 - m) * running + m * batch, with the
// unbiased batch variance. Inference uses the running statistics.
// Backward recomputes the normalised input from the kept input (no xhat copy).

public final class BatchNorm: Layer {
    public let name: String
    public let channels: Int
    public let epsilon: Float, momentum: Float
    /// True when a ReLU follows inside this layer: y = max(bn(x), 0).
    public let fusedReLU: Bool
    public let weight: Parameter  // (C), gamma, initialised to 1
    public let bias: Parameter    // (C), beta, initialised to 0
    public let runningMean: Tensor  // (C)
    public let runningVar: Tensor   // (C)
    public var workers = 1

    private var out = Buffer(), dxBuffer = Buffer(), dyBuffer = Buffer(), inBuffer = Buffer()
    private var batchMean = [Float](), invStd = [Float]()  // (C) of the last training batch
    private var input: Tensor?  // dense input of the last training forward

    public init(name: String, channels: Int, epsilon: Float, momentum: Float, fusedReLU: Bool = false) {
        self.name = name
        self.channels = channels
        self.epsilon = epsilon
        self.momentum = momentum
        self.fusedReLU = fusedReLU
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

    /// Where channel c's values lie: `count` segments of `length` floats, `stride` apart, from c * channelStride.
    private struct Segments {
        let count: Int, length: Int, stride: Int, channelStride: Int
        var perChannel: Int { count * length }
        @inline(__always) func offset(_ c: Int, _ s: Int) -> Int { c * channelStride + s * stride }
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

    public func forward(_ xIn: Tensor, training: Bool) -> Tensor {
        let x = denseInput(xIn, &inBuffer)
        let seg = segments(x)
        let y = out.like(x)  // same layout as x
        let xp = x.data, yp = y.data
        let gamma = weight.value.data, beta = bias.value.data
        let rm = runningMean.data, rv = runningVar.data
        let eps = epsilon, m = momentum, relu = fusedReLU
        if !training {
            input = nil
            Parallel.forRanges(channels, workers: workers) { range in
                for c in range {
                    let scale = gamma[c] / (rv[c] + eps).squareRoot()
                    let shift = beta[c] - rm[c] * scale
                    for s in 0..<seg.count {
                        let o = seg.offset(c, s)
                        Kernels.scaleShift(xp + o, yp + o, seg.length, scale: scale, shift: shift, relu: relu)
                    }
                }
            }
            return y
        }
        if invStd.count != channels {
            invStd = [Float](repeating: 0, count: channels)
            batchMean = [Float](repeating: 0, count: channels)
        }
        let total = seg.perChannel
        invStd.withUnsafeMutableBufferPointer { inv in
            batchMean.withUnsafeMutableBufferPointer { mb in
                let invp = inv.baseAddress!, meanp = mb.baseAddress!
                Parallel.forRanges(channels, workers: workers) { range in
                    for c in range {
                        // Mean, then squared deviations (two passes, Double across segments).
                        var sum: Double = 0
                        for s in 0..<seg.count { sum += Double(Kernels.sum(xp + seg.offset(c, s), seg.length)) }
                        let mean = Float(sum / Double(total))
                        var sq: Double = 0
                        for s in 0..<seg.count { sq += Double(Kernels.squaredDeviation(xp + seg.offset(c, s), seg.length, mean: mean)) }
                        let variance = Float(sq / Double(total))
                        let istd = 1 / (variance + eps).squareRoot()
                        invp[c] = istd
                        meanp[c] = mean
                        for s in 0..<seg.count {
                            let o = seg.offset(c, s)
                            Kernels.normalize(xp + o, yp + o, seg.length, mean: mean, istd: istd, g: gamma[c], b: beta[c], relu: relu)
                        }
                        let unbiased = total > 1 ? Float(sq / Double(total - 1)) : variance
                        rm[c] = (1 - m) * rm[c] + m * mean
                        rv[c] = (1 - m) * rv[c] + m * unbiased
                    }
                }
            }
        }
        input = x
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input, let y = out.tensor else { preconditionFailure("\(name): backward without a training forward") }
        let dy = matchLayout(dyIn, y, &dyBuffer)
        let seg = segments(x)
        let dx = dxBuffer.like(x)
        let xp = x.data, dyp = dy.data, dxp = dx.data
        let yp: UnsafeMutablePointer<Float>? = fusedReLU ? y.data : nil
        let gamma = weight.value.data, dgamma = weight.grad.data, dbeta = bias.grad.data
        let total = Float(seg.perChannel)
        invStd.withUnsafeBufferPointer { invb in
            batchMean.withUnsafeBufferPointer { mb in
                let invp = invb.baseAddress!, meanp = mb.baseAddress!
                Parallel.forRanges(channels, workers: workers) { range in
                    for c in range {
                        let mean = meanp[c], istd = invp[c]
                        var sdy: Double = 0, sdxc: Double = 0
                        for s in 0..<seg.count {
                            let o = seg.offset(c, s)
                            let (a, b) = Kernels.maskedSums(dyp + o, xp + o, yp.map { $0 + o }, seg.length, mean: mean)
                            sdy += Double(a); sdxc += Double(b)
                        }
                        let sdyh = Float(sdxc) * istd  // sum(dy * xhat)
                        dbeta[c] += Float(sdy)
                        dgamma[c] += sdyh
                        // dx = gamma*istd/M * (M*dy - sum(dy) - xhat*sum(dy*xhat))
                        let k = gamma[c] * istd / total
                        for s in 0..<seg.count {
                            let o = seg.offset(c, s)
                            Kernels.batchNormBackward(dyp + o, xp + o, yp.map { $0 + o }, dxp + o, seg.length,
                                                      k: k, m: total, sdy: Float(sdy), sdyh: sdyh, mean: mean, istd: istd)
                        }
                    }
                }
            }
        }
        return dx
    }
}

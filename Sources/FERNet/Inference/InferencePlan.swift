// The steps of an InferenceEngine: a Network's layers with batch norm folded
// into the conv/dense before it, ReLU fused, dropout gone. Weights are copies,
// so the engine does not change when the network trains on.

enum InferenceStep {
    /// Conv with folded batch norm; weight (Cout, Cin*k*k), bias (Cout); output channel-major.
    case conv(geometry: ConvGeometry, cout: Int, weight: [Float], bias: [Float], relu: Bool)
    /// 3x3 stride-1 pad-1 conv through Winograd F(2x2, 3x3); u (16, Cout, Cin), bias (Cout).
    case winograd(layout: Winograd.Layout, u: [Float], bias: [Float], relu: Bool)
    /// Dense with folded batch norm; weight (out, in), bias (out).
    case dense(inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float], relu: Bool)
    /// Batch norm that follows no conv/dense: y = x * scale[c] + shift[c].
    case scaleShift(scale: [Float], shift: [Float], relu: Bool)
    case relu
    case maxPool(kernel: Int, stride: Int)
    case avgPool(kernel: Int, stride: Int)
    case globalAvgPool
    case flatten
}

enum InferencePlanError: Error, CustomStringConvertible {
    case unsupportedLayer(String)
    var description: String {
        switch self { case .unsupportedLayer(let l): return "inference engine: layer \(l) is not supported" }
    }
}

extension InferenceStep {
    /// Folds the network's layers into steps.
    static func plan(_ network: Network) throws(InferencePlanError) -> [InferenceStep] {
        var steps: [InferenceStep] = []
        var shape = network.spec.input  // (C, H, W) or (F)
        for layer in network.layers {
            switch layer {
            case let c as Conv2D:
                let g = ConvGeometry(cin: shape[0], h: shape[1], w: shape[2], kernel: c.kernel, stride: c.stride, padding: c.padding)
                steps.append(.conv(geometry: g, cout: c.outChannels, weight: c.weight.value.toArray(), bias: c.bias.value.toArray(), relu: false))
                shape = [c.outChannels, g.ho, g.wo]
            case let d as Dense:
                steps.append(.dense(inFeatures: d.inFeatures, outFeatures: d.outFeatures, weight: d.weight.value.toArray(), bias: d.bias.value.toArray(), relu: false))
                shape = [d.outFeatures]
            case let bn as BatchNorm:
                let gamma = bn.weight.value.toArray(), beta = bn.bias.value.toArray()
                let mean = bn.runningMean.toArray(), variance = bn.runningVar.toArray()
                let scale = (0..<bn.channels).map { gamma[$0] / (variance[$0] + bn.epsilon).squareRoot() }
                let shift = (0..<bn.channels).map { beta[$0] - mean[$0] * scale[$0] }
                switch steps.last {
                case .conv(let g, let cout, var w, var b, false)?:
                    let k = w.count / cout
                    for co in 0..<cout {
                        for i in 0..<k { w[co * k + i] *= scale[co] }
                        b[co] = b[co] * scale[co] + shift[co]
                    }
                    steps[steps.count - 1] = .conv(geometry: g, cout: cout, weight: w, bias: b, relu: bn.fusedReLU)
                case .dense(let inF, let outF, var w, var b, false)?:
                    for o in 0..<outF {
                        for i in 0..<inF { w[o * inF + i] *= scale[o] }
                        b[o] = b[o] * scale[o] + shift[o]
                    }
                    steps[steps.count - 1] = .dense(inFeatures: inF, outFeatures: outF, weight: w, bias: b, relu: bn.fusedReLU)
                default:
                    steps.append(.scaleShift(scale: scale, shift: shift, relu: bn.fusedReLU))
                }
            case is ReLU:
                switch steps.last {
                case .conv(let g, let cout, let w, let b, false)?: steps[steps.count - 1] = .conv(geometry: g, cout: cout, weight: w, bias: b, relu: true)
                case .dense(let i, let o, let w, let b, false)?: steps[steps.count - 1] = .dense(inFeatures: i, outFeatures: o, weight: w, bias: b, relu: true)
                case .scaleShift(let s, let t, false)?: steps[steps.count - 1] = .scaleShift(scale: s, shift: t, relu: true)
                default: steps.append(.relu)
                }
            case let p as MaxPool:
                steps.append(.maxPool(kernel: p.kernel, stride: p.stride))
                shape = [shape[0], (shape[1] - p.kernel) / p.stride + 1, (shape[2] - p.kernel) / p.stride + 1]
            case let p as AvgPool:
                steps.append(.avgPool(kernel: p.kernel, stride: p.stride))
                shape = [shape[0], (shape[1] - p.kernel) / p.stride + 1, (shape[2] - p.kernel) / p.stride + 1]
            case is GlobalAvgPool:
                steps.append(.globalAvgPool)
                shape = [shape[0]]
            case is Flatten:
                if shape.count == 3 { steps.append(.flatten) }
                shape = [shape.reduce(1, *)]
            case is Dropout:
                continue
            default:
                throw .unsupportedLayer(String(describing: type(of: layer)))
            }
        }
        return steps
    }

    /// Replaces 3x3 stride-1 pad-1 convs on inputs of at least `minimumSize` x `minimumSize`
    /// with at least `minimumChannels` input channels by their Winograd form.
    static func useWinograd(_ steps: [InferenceStep], minimumSize: Int, minimumChannels: Int) -> [InferenceStep] {
        steps.map { step in
            guard case .conv(let g, let cout, let w, let b, let relu) = step,
                  g.kernel == 3, g.stride == 1, g.padding == 1, g.cin >= max(2, minimumChannels),
                  min(g.h, g.w) >= minimumSize else { return step }
            let layout = Winograd.Layout(cin: g.cin, cout: cout, h: g.h, w: g.w)
            return .winograd(layout: layout, u: Winograd.transformWeights(w, cout: cout, cin: g.cin), bias: b, relu: relu)
        }
    }
}

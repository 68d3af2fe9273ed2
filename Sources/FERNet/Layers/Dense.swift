// Dense (fully connected): y (N, out) = x (N, in) . W^T + b, with W (out, in)
// as in PyTorch/ONNX. One GEMM forward, two backward.

import CBLAS

public final class Dense: Layer {
    public let name: String
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter  // (out, in)
    public let bias: Parameter    // (out)
    public var workers = 1
    private var out = Buffer(), dxBuffer = Buffer()
    private var input: Tensor?

    public init(name: String, inFeatures: Int, outFeatures: Int, rng: SeededRandom) {
        _ = BLASKernels.selected  // before this layer's first GEMM
        self.name = name
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(name: "\(name).weight", shape: [outFeatures, inFeatures], decays: true)
        bias = Parameter(name: "\(name).bias", shape: [outFeatures], decays: false)
        // He (Kaiming) uniform: U(-sqrt(6/in), sqrt(6/in)); bias 0.
        let bound = (6 / Float(inFeatures)).squareRoot()
        let w = weight.value.data
        for i in 0..<weight.count { w[i] = rng.uniform(bound) }
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ xIn: Tensor, training: Bool) -> Tensor {
        precondition(xIn.rank == 2 && xIn.shape[1] == inFeatures, "\(name): expected (N, \(inFeatures)), got \(xIn.shape)")
        let x = xIn.isContiguous ? xIn : xIn.contiguous()
        let n = x.shape[0]
        let y = out.rowMajor([n, outFeatures])  // (N, out)
        let yp = y.data, b = bias.value.data
        for i in 0..<n { (yp + i * outFeatures).update(from: b, count: outFeatures) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(outFeatures), Int32(inFeatures),
                    1, x.data, Int32(inFeatures), weight.value.data, Int32(inFeatures), 1, yp, Int32(outFeatures))
        input = training ? x : nil
        return y
    }

    public func backward(_ dyIn: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("\(name): backward without a training forward") }
        let n = x.shape[0]
        precondition(dyIn.shape == [n, outFeatures], "\(name): gradient shape \(dyIn.shape) differs from [\(n), \(outFeatures)]")
        let dy = dyIn.isContiguous ? dyIn : dyIn.contiguous()  // (N, out)
        let dyp = dy.data, db = bias.grad.data
        for i in 0..<n { for o in 0..<outFeatures { db[o] += dyp[i * outFeatures + o] } }
        // dW (out, in) += dY^T (out, N) x X (N, in)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outFeatures), Int32(inFeatures), Int32(n),
                    1, dyp, Int32(outFeatures), x.data, Int32(inFeatures), 1, weight.grad.data, Int32(inFeatures))
        // dX (N, in) = dY (N, out) x W (out, in)
        let dx = dxBuffer.rowMajor([n, inFeatures])
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(inFeatures), Int32(outFeatures),
                    1, dyp, Int32(outFeatures), weight.value.data, Int32(inFeatures), 0, dx.data, Int32(inFeatures))
        return dx
    }
}

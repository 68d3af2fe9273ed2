import Testing
@testable import FERNet

@Suite struct AdamTests {
    private func param(_ decays: Bool, value: Float, grad: Float) -> Parameter {
        let p = Parameter(name: "w", shape: [1], decays: decays)
        p.value.assign([value]); p.grad.assign([grad])
        return p
    }

    @Test func firstStepMovesByTheLearningRate() {
        // Bias-corrected first step: m^ = g, v^ = g^2 -> update lr * g/|g| (eps negligible).
        let p = param(true, value: 1, grad: 0.3)
        Adam(parameters: [p], learningRate: 0.01).step()
        #expect(abs(p.value.toArray()[0] - 0.99) < 1e-6)
    }

    @Test func secondStepByHand() {
        // g1 = 1, g2 = -1 (beta1 .9, beta2 .999):
        // m2 = .9*.1 - .1 = -0.01, m^ = -0.01/0.19; v2 = .999*.001 + .001 = .001999, v^ = .001999/.001999 = 1
        // w = 1 - 0.01 - 0.1 * (-0.01/0.19) / (1 + 1e-8)
        let p = param(false, value: 1, grad: 1)
        let opt = Adam(parameters: [p], learningRate: 0.1)
        opt.learningRate = 0.01
        opt.step()
        p.grad.assign([-1])
        opt.learningRate = 0.1
        opt.step()
        let expected = 1 - 0.01 - 0.1 * (-0.01 / 0.19) / (1 + 1e-8)
        #expect(abs(Double(p.value.toArray()[0]) - expected) < 1e-6)
    }

    @Test func adamWDecaysTheWeightNotTheGradient() {
        // AdamW: w = w*(1 - lr*wd) - lr * sign(g) on step 1 = 2*(1-0.01*0.5) - 0.01 = 1.98
        // Adam with L2: g' = g + wd*w, step 1 still moves by lr -> 2 - 0.01 = 1.99
        let a = param(true, value: 2, grad: 0.1), b = param(true, value: 2, grad: 0.1)
        Adam.adamW(parameters: [a], learningRate: 0.01, weightDecay: 0.5).step()
        Adam(parameters: [b], learningRate: 0.01, weightDecay: 0.5).step()
        #expect(abs(a.value.toArray()[0] - 1.98) < 1e-6)
        #expect(abs(b.value.toArray()[0] - 1.99) < 1e-6)
    }

    @Test func stateRoundTripContinuesIdentically() throws {
        let a = param(true, value: 1, grad: 0.5), b = param(true, value: 1, grad: 0.5)
        let oa = Adam.adamW(parameters: [a], learningRate: 0.1)
        oa.step(); oa.step()
        let ob = Adam.adamW(parameters: [b], learningRate: 0.1)
        b.value.assign(a.value.toArray())
        try ob.loadState(oa.exportState())
        oa.step(); ob.step()
        #expect(a.value.toArray() == b.value.toArray())
        #expect(Set(oa.exportState().tensors.map(\.name)) == ["w.exp_avg", "w.exp_avg_sq"])
    }
}

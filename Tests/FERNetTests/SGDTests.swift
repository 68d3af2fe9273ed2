import Testing
@testable import FERNet

@Suite struct SGDTests {
    private func param(_ decays: Bool, value: Float, grad: Float) -> Parameter {
        let p = Parameter(name: "w", shape: [1], decays: decays)
        p.value.assign([value]); p.grad.assign([grad])
        return p
    }

    @Test func momentumAndWeightDecayByHand() {
        // w=1, g=0.5, wd=0.1 -> g'=0.6; b=0.6; w=1-0.1*0.6=0.94
        // step 2 (same grad): g'=0.5+0.094=0.594; b=0.9*0.6+0.594=1.134; w=0.94-0.1134=0.8266
        let p = param(true, value: 1, grad: 0.5)
        let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        opt.step()
        #expect(abs(p.value.toArray()[0] - 0.94) < 1e-6)
        opt.step()
        #expect(abs(p.value.toArray()[0] - 0.8266) < 1e-6)
        #expect(opt.stepCount == 2)
    }

    @Test func nesterovByHand() {
        // w=1, g=1, mu=0.5: b=1; update g + mu*b = 1.5; w = 1 - 0.1*1.5 = 0.85
        let p = param(false, value: 1, grad: 1)
        SGD(parameters: [p], learningRate: 0.1, momentum: 0.5, nesterov: true, weightDecay: 0.3).step()
        #expect(abs(p.value.toArray()[0] - 0.85) < 1e-6)  // no decay: parameter does not decay
    }

    @Test func stateRoundTripContinuesIdentically() throws {
        let a = param(true, value: 1, grad: 0.5), b = param(true, value: 1, grad: 0.5)
        let oa = SGD(parameters: [a], learningRate: 0.1, momentum: 0.9)
        oa.step()
        let ob = SGD(parameters: [b], learningRate: 0.1, momentum: 0.9)
        b.value.assign(a.value.toArray())
        try ob.loadState(oa.exportState())
        oa.step(); ob.step()
        #expect(a.value.toArray() == b.value.toArray())
        #expect(ob.stepCount == 2)
        #expect(oa.exportState().tensors.map(\.name) == ["w.momentum_buffer"])
    }

    @Test func loadingForeignStateNamesTheTensor() {
        let opt = SGD(parameters: [param(true, value: 1, grad: 1)], learningRate: 0.1)
        #expect(throws: OptimizerStateError.missing("w.momentum_buffer")) {
            try opt.loadState(OptimizerState(step: 1, tensors: []))
        }
    }
}

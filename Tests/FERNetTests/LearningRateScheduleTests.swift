import Testing
@testable import FERNet

@Suite struct LearningRateScheduleTests {
    @Test func stepScheduleDecaysEveryStepSize() {
        let s = StepSchedule(base: 1, stepSize: 10, gamma: 0.5)
        #expect(s.learningRate(at: 0) == 1 && s.learningRate(at: 9) == 1)
        #expect(s.learningRate(at: 10) == 0.5 && s.learningRate(at: 25) == 0.25)
    }

    @Test func cosineWarmsUpThenDecaysToTheMinimum() {
        let s = CosineSchedule(base: 1, total: 12, warmup: 2, minimum: 0.1)
        #expect(s.learningRate(at: 0) == 0.5 && s.learningRate(at: 1) == 1)
        #expect(s.learningRate(at: 2) == 1)                          // start of the cosine
        #expect(abs(s.learningRate(at: 7) - 0.55) < 1e-6)             // halfway: min + (base-min)/2
        #expect(s.learningRate(at: 12) == 0.1 && s.learningRate(at: 50) == 0.1)
    }

    @Test func plateauCutsAfterPatienceAndStateRestores() {
        let p = ReduceOnPlateau(initial: 1, mode: .min, factor: 0.5, patience: 1)
        #expect(p.update(metric: 1.0) == 1)     // best
        #expect(p.update(metric: 1.0) == 1)     // 1 bad update: within patience
        #expect(p.update(metric: 1.0) == 0.5)   // 2 bad: cut
        let saved = p.state
        let q = ReduceOnPlateau(initial: 9, mode: .min, factor: 0.5, patience: 1)
        q.restore(saved)
        #expect(q.learningRate == 0.5)
        #expect(q.update(metric: 0.5) == 0.5 && q.state.best == 0.5)
    }

    @Test func plateauMaxModeWatchesAccuracy() {
        let p = ReduceOnPlateau(initial: 1, mode: .max, factor: 0.1, patience: 0)
        p.update(metric: 0.6)
        #expect(p.update(metric: 0.7) == 1)
        #expect(abs(p.update(metric: 0.65) - 0.1) < 1e-7)
    }
}

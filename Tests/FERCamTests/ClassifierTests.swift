// The CNN classifier loads a model file and returns one probability row per face.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite struct ClassifierTests {
    @Test func probabilitiesPerFaceSumToOne() throws {
        let c = try EmotionModel.classifier(path: TestModel.path, threads: 1)
        #expect(c.inputSide == 48)
        let pre = FacePreprocessor(normalization: c.normalization)
        let img = try ImageCodec.decode(path: try TestPaths.requireMedia("sad.jpg")).gray()
        let a = pre.preprocess(gray: img, box: Box(x: 100, y: 50, width: 120, height: 120))
        let b = pre.preprocess(gray: img, box: Box(x: 0, y: 0, width: 60, height: 60))
        let rows = try (a + b).withUnsafeBufferPointer { try c.classify($0, count: 2) }
        #expect(rows.count == 2)
        for r in rows {
            #expect(r.count == 7)
            #expect(abs(r.reduce(0, +) - 1) < 1e-4)
        }
        // Batched and single results agree (the batch is not mixed up), also past the engine's batch limit.
        let single = try b.withUnsafeBufferPointer { try c.classify($0, count: 1) }
        #expect(zip(single[0], rows[1]).allSatisfy { abs($0 - $1) < 1e-4 })
        let many = try [[Float]](repeating: a, count: 20).flatMap { $0 }.withUnsafeBufferPointer { try c.classify($0, count: 20) }
        #expect(many.count == 20)
        #expect(many.allSatisfy { zip($0, rows[0]).allSatisfy { abs($0 - $1) < 1e-4 } })
    }
}

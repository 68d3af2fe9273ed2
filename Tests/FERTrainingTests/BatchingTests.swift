import Foundation
import Testing
import FERNet
import FERVision
@testable import FERTraining

@Suite struct BatchingTests {
    @Test(arguments: [(100, 16), (64, 64), (65, 64), (7, 3), (1, 4)])
    func everySampleOncePerEpoch(count: Int, batch: Int) {
        for epoch in 0 ..< 3 {
            let plan = EpochPlan(count: count, batchSize: batch, seed: 11, epoch: epoch)
            let all = plan.batches.flatMap { $0 }
            #expect(all.sorted() == Array(0 ..< count))
            #expect(plan.batches.allSatisfy { $0.count >= min(2, count) && $0.count <= batch + 1 })
            #expect(plan.batchCount == EpochPlan.batchCount(count: count, batchSize: batch))
        }
    }

    @Test func orderIsSeededAndChangesPerEpoch() {
        let a = EpochPlan(count: 200, batchSize: 32, seed: 1, epoch: 0)
        #expect(a == EpochPlan(count: 200, batchSize: 32, seed: 1, epoch: 0))
        #expect(a != EpochPlan(count: 200, batchSize: 32, seed: 1, epoch: 1))
        #expect(a != EpochPlan(count: 200, batchSize: 32, seed: 2, epoch: 0))
        #expect(EpochPlan(count: 5, batchSize: 2, seed: 1, epoch: 0, shuffle: false).batches == [[0, 1], [2, 3, 4]])
    }

    @Test func derivedSeedsDiffer() {
        #expect(SeedStream.derive(1, 2, 3) == SeedStream.derive(1, 2, 3))
        #expect(SeedStream.derive(1, 2, 3) != SeedStream.derive(1, 3, 2))
        var a = SeedStream.sample(seed: 1, epoch: 0, index: 5), b = SeedStream.sample(seed: 1, epoch: 1, index: 5)
        #expect(a.next() != b.next())
    }

    @Test func prefetcherYieldsAllItemsInOrder() {
        let p = Prefetcher(count: 50, depth: 3) { i -> Int in
            if i % 7 == 0 { usleep(500) }
            return i * i
        }
        var got: [Int] = []
        while let v = p.next() { got.append(v) }
        #expect(got == (0 ..< 50).map { $0 * $0 })
        #expect(p.next() == nil)
    }

    @Test func prefetcherStopsEarly() {
        let p = Prefetcher(count: 1000, depth: 2) { $0 }
        #expect(p.next() == 0)
        p.stop()
        #expect(p.next() == nil)
    }

    @Test func batchUsesTheSharedPreprocessorAndSeededAugmentation() {
        let px: [UInt8] = (0 ..< 3 * 2304).map { UInt8($0 % 251) }
        let data = FaceDataset(source: "t", pixels: px, labels: [0, 3, 6])
        let pre = FacePreprocessor(normalization: InputNormalization(scale: 1 / 255, mean: 0.5, std: 0.25))
        let maker = BatchMaker(data: data, preprocessor: pre, augmentation: AugmentationConfig(), seed: 3)
        let plain = maker.batch([2, 0], epoch: 0, augment: false)
        #expect(plain.inputs.shape == [2, 1, 48, 48])
        #expect(plain.labels == [6, 0])
        #expect(plain.targets == nil)
        var expected = [Float](repeating: 0, count: 2304)
        data.image(2).withUnsafeBufferPointer { pre.normalize($0.baseAddress!, into: &expected) }
        #expect(Array(plain.inputs.toArray()[0 ..< 2304]) == expected)

        let a1 = maker.batch([1, 2], epoch: 4, augment: true).inputs.toArray()
        let a2 = maker.batch([2, 1], epoch: 4, augment: true).inputs.toArray()
        // Same sample, same epoch: same augmentation whatever the batch composition.
        #expect(Array(a1[0 ..< 2304]) == Array(a2[2304 ..< 4608]))
        let other = maker.batch([1], epoch: 5, augment: true).inputs.toArray()
        #expect(Array(a1[0 ..< 2304]) != other)
    }
}

// The ring drops the oldest when full and counts it; the waiting push never drops.
import Foundation
import Testing
@testable import FERCam

@Suite struct FrameRingTests {
    @Test func dropsOldestWhenFull() {
        let ring = FrameRing<Int>(capacity: 3)
        for i in 0..<5 { ring.push(i) }
        #expect(ring.droppedCount == 2)
        #expect(ring.currentCount == 3)
        ring.close()
        var got: [Int] = []
        while let x = ring.pop() { got.append(x) }
        #expect(got == [2, 3, 4])
    }

    @Test func popWaitsForAProducer() {
        let ring = FrameRing<Int>(capacity: 2)
        let t = Thread { usleep(50_000); ring.push(7) }
        t.start()
        #expect(ring.pop() == 7)
    }

    @Test func pushWaitingBlocksUntilThereIsRoomAndDropsNothing() {
        let ring = FrameRing<Int>(capacity: 2)
        let producer = Thread {
            for i in 0..<50 { ring.pushWaiting(i) }
            ring.close()
        }
        producer.start()
        var got: [Int] = []
        while let x = ring.pop() { got.append(x); if got.count % 10 == 0 { usleep(1000) } }
        #expect(got == Array(0..<50))
        #expect(ring.droppedCount == 0)
    }

    @Test func memoryStaysBoundedUnderASlowConsumer() {
        let ring = FrameRing<[UInt8]>(capacity: 4)
        for _ in 0..<1000 { ring.push([UInt8](repeating: 1, count: 1000)) }
        #expect(ring.currentCount == 4)
        #expect(ring.droppedCount == 996)
        #expect(ring.pushedCount == 1000)
    }

    @Test func closeWakesAWaitingConsumer() {
        let ring = FrameRing<Int>(capacity: 2)
        let t = Thread { usleep(30_000); ring.close() }
        t.start()
        #expect(ring.pop() == nil)
        #expect(ring.pop(timeout: 0.01) == nil)
    }
}

// BoundedQueue: first in first out, the oldest dropped and counted when full, across wrap-around.
import Testing
@testable import FERMQTT

@Suite struct BoundedQueueTests {
    @Test func keepsOrder() {
        var q = BoundedQueue<Int>(capacity: 4)
        for i in 1...3 { q.push(i) }
        #expect(q.first == 1)
        let popped = [q.popFirst(), q.popFirst(), q.popFirst(), q.popFirst()]
        #expect(popped == [1, 2, 3, nil])
        #expect(q.isEmpty && q.dropped == 0)
    }

    @Test func dropsTheOldestWhenFull() {
        var q = BoundedQueue<Int>(capacity: 3)
        var droppedFlags: [Bool] = []
        for i in 1...5 { droppedFlags.append(q.push(i)) }
        #expect(droppedFlags == [false, false, false, true, true])
        #expect(q.count == 3 && q.dropped == 2)
        let popped = [q.popFirst(), q.popFirst(), q.popFirst()]
        #expect(popped == [3, 4, 5])
    }

    @Test func wrapsAroundWithInterleavedPops() {
        var q = BoundedQueue<Int>(capacity: 3)
        var expected: [Int] = [], got: [Int] = []
        for i in 0..<100 {
            q.push(i); expected.append(i)
            if i % 3 == 0, let v = q.popFirst() { got.append(v) }
            #expect(q.count <= 3)
        }
        while let v = q.popFirst() { got.append(v) }
        // Everything popped is in order, and popped + dropped accounts for every push.
        #expect(got == got.sorted())
        #expect(got.count + q.dropped == expected.count)
        #expect(got.last == 99)
    }
}

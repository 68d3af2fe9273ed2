import Testing
@testable import FERNet

@Suite struct TensorTests {
    @Test func rowMajorValuesAndSubscript() {
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(t.strides == [3, 1])
        #expect(t[1, 2] == 6)
        t[0, 1] = 9
        #expect(t.toArray() == [1, 9, 3, 4, 5, 6])
    }

    @Test func reshapeIsAViewOnTheSameStorage() {
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let r = t.reshaped([3, 2])
        r[2, 1] = 60
        #expect(t[1, 2] == 60)
        #expect(r.storage === t.storage)
    }

    @Test func sliceIsACropView() {
        let t = Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init))
        let crop = t.slice(axis: 2, start: 1, length: 2).slice(axis: 3, start: 1, length: 2)
        #expect(crop.shape == [1, 1, 2, 2])
        #expect(crop.toArray() == [5, 6, 9, 10])
        #expect(!crop.isDense)
        #expect(crop.contiguous().isContiguous)
    }

    @Test func channelMajorLayoutStoresChannelsOutermost() {
        let t = Tensor.channelMajor(2, 3, 1, 2)  // (N=2, C=3, H=1, W=2)
        t.assign((0..<12).map(Float.init))       // logical NCHW order
        #expect(t.isChannelMajor && t.isDense && !t.isContiguous)
        // memory: c0: n0 [0,1], n1 [6,7]; c1: n0 [2,3], n1 [8,9]; ...
        #expect(Array(UnsafeBufferPointer(start: t.data, count: 12)) == [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11])
        #expect(t.toArray() == (0..<12).map(Float.init))
        #expect(t.zerosLike().isChannelMajor)
    }

    @Test func storageIsAligned() {
        let t = Tensor(shape: [7])
        #expect(Int(bitPattern: t.data) % 64 == 0)
    }
}

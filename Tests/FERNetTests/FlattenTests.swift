import Testing
@testable import FERNet

@Suite struct FlattenTests {
    @Test func rowMajorInputIsAView() {
        let f = Flatten()
        let x = Tensor(shape: [2, 2, 1, 2], values: (0..<8).map(Float.init))
        let y = f.forward(x, training: true)
        #expect(y.shape == [2, 4] && y.storage === x.storage)
        #expect(f.backward(Tensor(shape: [2, 4], values: (0..<8).map(Float.init))).shape == [2, 2, 1, 2])
    }

    @Test func channelMajorInputIsFlattenedInNCHWOrder() {
        let f = Flatten()
        let x = Tensor.channelMajor(2, 3, 1, 2)
        x.assign((0..<12).map(Float.init))
        #expect(f.forward(x, training: true).toArray() == (0..<12).map(Float.init))
        let dx = f.backward(Tensor(shape: [2, 6], values: (0..<12).map { Float($0) * 2 }))
        #expect(dx.isChannelMajor)
        #expect(dx.toArray() == (0..<12).map { Float($0) * 2 })
    }
}

// Tensor: a shape and strides over shared Float32 storage, so reshapes and
// crops are views, not copies. Logical axis order is NCHW (or (N, F) for flat
// data). Besides the row-major ("NCHW") layout the engine uses a channel-major
// layout for activations: logical (N, C, H, W) stored as (C, N, H, W), so that
// a whole minibatch's convolution is one GEMM and batch norm runs over
// contiguous memory. Both layouts keep every (H, W) plane contiguous.
// Tensors do no math beyond copies; layers do the math on raw pointers.

import Foundation

/// Storage owned by one or more tensors: an aligned, fixed-size block of Float.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Bytes from which storage is its own anonymous mapping: its zero pages take no memory
    /// until written (a gradient an inference-only network never touches costs nothing).
    static let mappedBytes = 1 << 20
    /// Whether this block is such a mapping (munmap), else heap memory (deallocate).
    private let mapped: Bool

    /// Zero-filled storage of `count` floats, 64-byte aligned.
    public init(count: Int) {
        precondition(count >= 0, "storage size \(count) must not be negative")
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        mapped = bytes >= TensorStorage.mappedBytes
        if mapped {
            let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let raw, raw != MAP_FAILED else { fatalError("tensor storage: out of memory mapping \(bytes) bytes") }
            pointer = raw.bindMemory(to: Float.self, capacity: count)  // page-aligned, zero
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
        }
    }

    deinit {
        if mapped {
            munmap(pointer, count * MemoryLayout<Float>.stride)
        } else {
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }
}

public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    /// Logical shape, e.g. (N, C, H, W).
    public private(set) var shape: [Int]
    /// Element strides per logical axis.
    public private(set) var strides: [Int]
    public let storage: TensorStorage
    /// Offset of element (0, 0, …) in the storage.
    public private(set) var offset: Int

    /// A zero-filled, row-major tensor.
    public init(shape: [Int]) {
        self.init(storage: TensorStorage(count: shape.reduce(1, *)), shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0)
    }

    /// A row-major tensor holding `values` (row-major order).
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.init(shape: shape)
        let p = storage.pointer
        values.withUnsafeBufferPointer { src in p.update(from: src.baseAddress!, count: values.count) }
    }

    /// A view over existing storage.
    public init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int = 0) {
        precondition(shape.count == strides.count, "shape \(shape) and strides \(strides) differ in rank")
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// A zero-filled (N, C, H, W) tensor stored channel-major, i.e. as (C, N, H, W).
    public static func channelMajor(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Tensor {
        Tensor(storage: TensorStorage(count: n * c * h * w), shape: [n, c, h, w], strides: [h * w, n * h * w, w, 1])
    }

    public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }
    /// Pointer to element (0, 0, …).
    public var data: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// True when the elements are laid out row-major without gaps.
    public var isContiguous: Bool {
        var expected = 1
        for i in stride(from: rank - 1, through: 0, by: -1) {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }
    /// True for a 4-D tensor stored as (C, N, H, W) without gaps.
    public var isChannelMajor: Bool {
        guard rank == 4 else { return false }
        let hw = shape[2] * shape[3]
        return strides[3] == 1 && strides[2] == shape[3] && strides[0] == hw && strides[1] == shape[0] * hw
    }
    /// True when the elements fill `count` consecutive floats from `data` (in
    /// some axis order), so elementwise work may run over the raw block.
    public var isDense: Bool {
        if isContiguous { return true }
        let order = (0..<rank).sorted { strides[$0] < strides[$1] }
        var expected = 1
        for axis in order where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }
    /// True when every (H, W) plane of a 4-D tensor is contiguous.
    public var hasContiguousPlanes: Bool { rank == 4 && strides[3] == 1 && strides[2] == shape[3] }

    /// Storage offset (relative to `data`) of logical element `index`.
    @inline(__always)
    public func linearOffset(_ index: [Int]) -> Int {
        var o = 0
        for i in 0..<index.count { o += index[i] * strides[i] }
        return o
    }

    public subscript(_ index: Int...) -> Float {
        get { data[linearOffset(index)] }
        nonmutating set { data[linearOffset(index)] = newValue }
    }

    /// The values in logical row-major order (copies).
    public func toArray() -> [Float] {
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { copy(into: $0.baseAddress!) }
        return out
    }

    /// Copies the values in logical row-major order into `dst` (count floats).
    public func copy(into dst: UnsafeMutablePointer<Float>) {
        if isContiguous { dst.update(from: data, count: count); return }
        var index = [Int](repeating: 0, count: rank)
        let total = count
        let src = data
        for i in 0..<total {
            dst[i] = src[linearOffset(index)]
            var a = rank - 1
            while a >= 0 { index[a] += 1; if index[a] < shape[a] { break }; index[a] = 0; a -= 1 }
        }
    }

    /// A row-major copy (new storage).
    public func contiguous() -> Tensor {
        let t = Tensor(shape: shape)
        copy(into: t.data)
        return t
    }

    /// A view with another shape; needs a row-major tensor.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        precondition(isContiguous, "reshape needs a row-major tensor; call contiguous() first")
        return Tensor(storage: storage, shape: newShape, strides: Tensor.rowMajorStrides(newShape), offset: offset)
    }

    /// A view of `length` entries of `axis` starting at `start` (a crop, no copy).
    public func slice(axis: Int, start: Int, length: Int) -> Tensor {
        precondition(axis < rank && start >= 0 && length >= 0 && start + length <= shape[axis], "slice \(start)..<\(start + length) of axis \(axis) is outside \(shape)")
        var s = shape
        s[axis] = length
        return Tensor(storage: storage, shape: s, strides: strides, offset: offset + start * strides[axis])
    }

    /// A zero-filled tensor with the same shape and the same memory layout.
    public func zerosLike() -> Tensor {
        if isDense && !isContiguous {
            // Same axis order, fresh storage: keep the strides (they start at 0 when dense).
            return Tensor(storage: TensorStorage(count: count), shape: shape, strides: strides, offset: 0)
        }
        return Tensor(shape: shape)
    }

    /// True when `other` has the same shape and strides (so raw blocks line up).
    public func sameLayout(as other: Tensor) -> Bool { shape == other.shape && strides == other.strides }

    /// Sets every element to zero (dense tensors only).
    public func zero() {
        precondition(isDense, "zero() needs a dense tensor")
        data.update(repeating: 0, count: count)
    }

    /// Fills from logical row-major `values`.
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        if isContiguous { values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }; return }
        var index = [Int](repeating: 0, count: rank)
        for i in 0..<count {
            data[linearOffset(index)] = values[i]
            var a = rank - 1
            while a >= 0 { index[a] += 1; if index[a] < shape[a] { break }; index[a] = 0; a -= 1 }
        }
    }

    public var description: String { "Tensor\(shape)" }
}

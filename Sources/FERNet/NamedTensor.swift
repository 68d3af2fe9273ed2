// A named, shaped block of Float32 values: the unit in which weights travel
// between the engine, the model file and the ONNX exporter. Plain data, no math.

public struct NamedTensor: Equatable, Sendable {
    public var name: String
    /// Row-major shape, e.g. (Cout, Cin, kH, kW) for a conv weight.
    public var shape: [Int]
    /// shape.reduce(1, *) values, row-major.
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "\(name): shape \(shape) does not hold \(values.count) values")
        self.name = name
        self.shape = shape
        self.values = values
    }
}

// An open HDF5 file (from a path or from bytes in memory) with the reads a
// Keras file needs: does a path exist, an attribute as strings, a dataset as
// floats with its shape. Errors say which object failed and why. It knows no
// Keras layout (KerasWeights.swift does) and writes nothing.

import CHDF5

/// Why an HDF5 read failed: the object and HDF5's reason, as one line.
struct HDF5Error: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
    static func last(_ fallback: String) -> HDF5Error {
        let m = String(cString: ferh5_error())
        return HDF5Error(message: m.isEmpty ? fallback : m)
    }
}

/// A float array read from a dataset, with its row-major shape.
struct HDF5Array {
    var shape: [Int]
    var values: [Float]
}

final class HDF5File {
    private let handle: Int64

    /// Opens the file at `path` read-only.
    init(path: String) throws(HDF5Error) {
        let h = ferh5_open_path(path)
        guard h > 0 else { throw .last("cannot open it as HDF5") }
        handle = h
    }

    /// Opens an HDF5 file image held in memory (e.g. `model.weights.h5` inside a .keras zip).
    init(image: [UInt8]) throws(HDF5Error) {
        let h = image.withUnsafeBytes { ferh5_open_image($0.baseAddress, $0.count) }
        guard h > 0 else { throw .last("cannot open the image as HDF5") }
        handle = h
    }

    deinit { ferh5_close(handle) }

    func exists(_ path: String) throws(HDF5Error) -> Bool {
        let r = ferh5_exists(handle, path)
        guard r >= 0 else { throw .last("cannot look up \(path)") }
        return r == 1
    }

    /// Attribute `name` of the object at `path` as strings (a scalar string is one), or nil when it does not exist.
    func strings(attribute name: String, of path: String = "/") throws(HDF5Error) -> [String]? {
        var block: UnsafeMutablePointer<CChar>? = nil
        var bytes = 0
        let count = ferh5_attr_strings(handle, path, name, &block, &bytes)
        if count == -2 { return nil }
        guard count >= 0, let block else { throw .last("cannot read attribute \(name) of \(path)") }
        defer { ferh5_free(block) }
        var result: [String] = []
        var p = UnsafePointer(block)
        for _ in 0..<count {
            let s = String(cString: p)
            result.append(s)
            p += s.utf8.count + 1
        }
        return result
    }

    /// The dataset at `path` as floats (any numeric type converted), with its shape.
    func floats(_ path: String) throws(HDF5Error) -> HDF5Array {
        var dims = [Int64](repeating: 0, count: 8)
        let rank = ferh5_dataset_shape(handle, path, &dims, 8)
        guard rank >= 0 else { throw .last("cannot read dataset \(path)") }
        let shape = dims.prefix(Int(rank)).map { Int($0) }
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= 1 << 31 else { throw HDF5Error(message: "dataset \(path): shape \(shape) is too large for a weight") }
            count = p
        }
        var values = [Float](repeating: 0, count: count)
        guard ferh5_dataset_read_float(handle, path, &values, count) == 0 else { throw .last("cannot read dataset \(path)") }
        return HDF5Array(shape: shape, values: values)
    }
}

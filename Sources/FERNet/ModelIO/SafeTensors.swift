// The safetensors container: encode named Float32 tensors plus string metadata
// into bytes, and decode bytes back with full validation. Layout: 8-byte
// little-endian header length N, N bytes of JSON header, then the raw
// little-endian data; data_offsets are relative to the data section.
// Decoding never traps on any input; every defect is a ModelFileError.
// It knows nothing about architectures or labels (that is ModelFile's job).

import Foundation

public struct SafeTensors: Equatable, Sendable {
    /// Tensors in data-section order.
    public var tensors: [NamedTensor]
    /// The header's `__metadata__` (string to string).
    public var metadata: [String: String]

    public init(tensors: [NamedTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Headers longer than this are refused (the reference implementation's limit).
    public static let maxHeaderBytes = 100_000_000

    /// Dtypes of the safetensors format; only F32 is read.
    static let knownDtypes: Set<String> = [
        "BOOL", "U8", "I8", "U16", "I16", "F16", "BF16", "U32", "I32", "F32", "U64", "I64", "F64",
        "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64",
    ]
}

// MARK: - Encoding

extension SafeTensors {
    /// The file's bytes. Tensors are stored in the given order; the header
    /// is padded with spaces so the data section starts 8-byte aligned.
    /// - Throws: `.duplicateTensor` when two tensors share a name, or a
    ///   tensor is named `__metadata__`.
    public func encoded(path: String = "<memory>") throws(ModelFileError) -> [UInt8] {
        var header: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var names = Set<String>()
        var offset = 0
        for t in tensors {
            guard t.name != "__metadata__", names.insert(t.name).inserted else {
                throw ModelFileError(path: path, problem: .duplicateTensor(t.name))
            }
            let end = offset + t.values.count * 4
            header.append((t.name, .object([
                ("dtype", .string("F32")),
                ("shape", .array(t.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(end)])),
            ])))
            offset = end
        }
        var json = Array(JSONValue.object(header).text.utf8)
        while (8 + json.count) % 8 != 0 { json.append(0x20) }  // space padding

        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + offset)
        let n = UInt64(json.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        out.append(contentsOf: json)
        for t in tensors { Self.appendLittleEndian(t.values, to: &out) }
        return out
    }

    static func appendLittleEndian(_ values: [Float], to out: inout [UInt8]) {
        #if _endian(little)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        #endif
    }
}

// MARK: - Decoding

extension SafeTensors {
    /// Decodes and validates a whole safetensors file held in memory.
    /// `path` only names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(ModelFileError) -> SafeTensors {
        func fail(_ p: ModelFileError.Problem) -> ModelFileError { ModelFileError(path: path, problem: p) }

        guard bytes.count >= 8 else { throw fail(.tooShort(bytes: bytes.count)) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(maxHeaderBytes) else { throw fail(.headerTooLarge(length: n, limit: maxHeaderBytes)) }
        guard n <= UInt64(bytes.count - 8) else { throw fail(.headerPastEnd(length: n, available: bytes.count - 8)) }
        let headerEnd = 8 + Int(n)

        let header: JSONValue
        do {
            header = try JSONValue.parse(bytes: Array(bytes[8..<headerEnd]))
        } catch {
            if let key = error.duplicateKey, error.depth == 0, key != "__metadata__" { throw fail(.duplicateTensor(key)) }
            throw fail(.malformedHeader(error.description))
        }
        guard let entries = header.objectValue else { throw fail(.headerNotObject(found: header.kindName)) }

        let dataBytes = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var infos: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, entry) in entries {
            if name == "__metadata__" {
                metadata = try decodeMetadata(entry, fail: fail)
                continue
            }
            let info = try decodeEntry(name: name, entry, fail: fail)
            guard info.end <= dataBytes else {
                throw fail(.offsetsOutOfRange(tensor: name, end: info.end, dataBytes: dataBytes))
            }
            infos.append((name, info.shape, info.begin, info.end))
        }

        // The data section must be covered exactly once, in any order.
        let ordered = infos.enumerated().sorted { ($0.element.begin, $0.element.end, $0.offset) < ($1.element.begin, $1.element.end, $1.offset) }.map(\.element)
        var covered = 0
        var previous: String? = nil
        for info in ordered {
            if info.begin < covered, let previous { throw fail(.overlappingTensors(previous, info.name)) }
            if info.begin > covered { throw fail(.gapInData(at: covered, before: info.name)) }
            covered = info.end
            if info.end > info.begin { previous = info.name }
        }
        if covered < dataBytes { throw fail(.trailingBytes(count: dataBytes - covered, dataBytes: dataBytes)) }

        let tensors = ordered.map { info in
            NamedTensor(name: info.name, shape: info.shape,
                        values: readLittleEndianFloats(bytes, from: headerEnd + info.begin, count: (info.end - info.begin) / 4))
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    private static func decodeMetadata(_ entry: JSONValue, fail: (ModelFileError.Problem) -> ModelFileError) throws(ModelFileError) -> [String: String] {
        guard let pairs = entry.objectValue else { throw fail(.badMetadata(reason: "must be an object of strings, found \(entry.kindName)")) }
        var out: [String: String] = [:]
        for (k, v) in pairs {
            guard let s = v.stringValue else { throw fail(.badMetadata(reason: "value of \"\(k)\" must be a string, found \(v.kindName)")) }
            out[k] = s
        }
        return out
    }

    private static func decodeEntry(name: String, _ entry: JSONValue, fail: (ModelFileError.Problem) -> ModelFileError) throws(ModelFileError) -> (shape: [Int], begin: Int, end: Int) {
        guard let fields = entry.objectValue else { throw fail(.entryNotObject(tensor: name, found: entry.kindName)) }
        var dtypeValue: JSONValue?, shapeValue: JSONValue?, offsetsValue: JSONValue?
        for (k, v) in fields {
            switch k {
            case "dtype": dtypeValue = v
            case "shape": shapeValue = v
            case "data_offsets": offsetsValue = v
            default: throw fail(.unexpectedField(tensor: name, field: k))
            }
        }
        guard let dtypeValue else { throw fail(.missingField(tensor: name, field: "dtype")) }
        guard let shapeValue else { throw fail(.missingField(tensor: name, field: "shape")) }
        guard let offsetsValue else { throw fail(.missingField(tensor: name, field: "data_offsets")) }

        guard let dtype = dtypeValue.stringValue else { throw fail(.unknownDtype(tensor: name, dtype: dtypeValue.shortText)) }
        guard knownDtypes.contains(dtype) else { throw fail(.unknownDtype(tensor: name, dtype: dtype)) }
        guard dtype == "F32" else { throw fail(.unsupportedDtype(tensor: name, dtype: dtype)) }

        guard let dims = shapeValue.arrayValue else { throw fail(.badShape(tensor: name, reason: "must be an array of sizes, found \(shapeValue.kindName)")) }
        var shape: [Int] = []
        var count = 1
        for d in dims {
            guard let v = d.intValue else { throw fail(.badShape(tensor: name, reason: "size \(d.shortText) is not an integer")) }
            guard v >= 0 else { throw fail(.badShape(tensor: name, reason: "size \(v) is negative")) }
            let (p, overflow) = count.multipliedReportingOverflow(by: v)
            guard !overflow, p <= Int.max / 4 else { throw fail(.badShape(tensor: name, reason: "\(shapeValue.shortText) holds more elements than fit in memory")) }
            shape.append(v)
            count = p
        }

        guard let pair = offsetsValue.arrayValue, pair.count == 2 else {
            throw fail(.badOffsets(tensor: name, reason: "must be [begin, end], found \(offsetsValue.shortText)"))
        }
        guard let begin = pair[0].intValue, let end = pair[1].intValue else {
            throw fail(.badOffsets(tensor: name, reason: "\(offsetsValue.shortText) are not integers"))
        }
        guard begin >= 0, end >= begin else {
            throw fail(.badOffsets(tensor: name, reason: "[\(begin), \(end)] must satisfy 0 <= begin <= end"))
        }
        guard end - begin == count * 4 else { throw fail(.sizeMismatch(tensor: name, begin: begin, end: end, shape: shape)) }
        return (shape, begin, end)
    }

    /// `count` Float32 values stored little-endian at `bytes[start...]` (range checked by the caller).
    static func readLittleEndianFloats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)  // (count)
        values.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + count * 4)]))
            }
        }
        #if _endian(big)
        for i in values.indices { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
        #endif
        return values
    }
}

// MARK: - Files

extension SafeTensors {
    /// Reads and validates a safetensors file.
    public static func read(from url: URL) throws(ModelFileError) -> SafeTensors {
        try decode(try FileBytes.read(url), path: url.relativePath)
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws(ModelFileError) {
        try FileBytes.writeAtomically(try encoded(path: url.relativePath), to: url)
    }
}

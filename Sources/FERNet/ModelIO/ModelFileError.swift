// The one error type of model-file reading and writing: which file, and which
// problem, as a value tests can match and a message a person can act on
// ("model file models/x.safetensors: tensor conv1.weight: ..."). It does no I/O.

public struct ModelFileError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file as the caller named it (or "<memory>" for in-memory bytes).
    public var path: String
    public var problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public enum Problem: Equatable, Sendable {
        // The file itself.
        case fileMissing
        case unreadable(reason: String)
        case writeFailed(reason: String)
        // safetensors container.
        case tooShort(bytes: Int)
        case headerTooLarge(length: UInt64, limit: Int)
        case headerPastEnd(length: UInt64, available: Int)
        case malformedHeader(String)
        case headerNotObject(found: String)
        case entryNotObject(tensor: String, found: String)
        case missingField(tensor: String, field: String)
        case unexpectedField(tensor: String, field: String)
        case unknownDtype(tensor: String, dtype: String)
        case unsupportedDtype(tensor: String, dtype: String)
        case badShape(tensor: String, reason: String)
        case badOffsets(tensor: String, reason: String)
        case sizeMismatch(tensor: String, begin: Int, end: Int, shape: [Int])
        case offsetsOutOfRange(tensor: String, end: Int, dataBytes: Int)
        case overlappingTensors(String, String)
        case gapInData(at: Int, before: String)
        case trailingBytes(count: Int, dataBytes: Int)
        case duplicateTensor(String)
        case badMetadata(reason: String)
        // fer-cam model contents.
        case notAModelFile(format: String?)
        case unsupportedVersion(found: String, supported: String)
        case missingMetadata(key: String)
        case badSpec(String)
        case badLabels(found: String)
        case badNormalization(reason: String)
        case badProvenance(reason: String)
        case badMembers(reason: String)
        case missingTensor(name: String, expected: [Int])
        case extraTensor(name: String)
        case shapeMismatch(name: String, found: [Int], expected: [Int])
        case nonFinite(name: String, index: Int, value: Float)
    }

    public var description: String { "model file \(path): \(problem.message)" }
}

extension ModelFileError.Problem {
    /// The same problem with tensor names as an ensemble file spells them ("member1.conv1.weight").
    func inMember(_ index: Int) -> Self {
        let p = ModelFile.memberPrefix(index)
        switch self {
        case .missingTensor(let n, let e): return .missingTensor(name: p + n, expected: e)
        case .extraTensor(let n): return .extraTensor(name: p + n)
        case .shapeMismatch(let n, let f, let e): return .shapeMismatch(name: p + n, found: f, expected: e)
        case .nonFinite(let n, let i, let v): return .nonFinite(name: p + n, index: i, value: v)
        case .duplicateTensor(let n): return .duplicateTensor(p + n)
        default: return self
        }
    }

    static func shapeText(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ",") + "]" }

    /// The problem in words, with a hint on how to fix it where there is one.
    public var message: String {
        let sh = Self.shapeText
        switch self {
        case .fileMissing:
            return "no such file; the shipped model is models/emotion-cnn.safetensors; train one with `fer-train train --model-out models/emotion-cnn.safetensors` or pass --model PATH"
        case .unreadable(let r): return "cannot read: \(r)"
        case .writeFailed(let r): return "cannot write: \(r)"
        case .tooShort(let n):
            return "file is \(n) bytes, too short for a safetensors file (8-byte header length + JSON header); it is truncated or not a model file"
        case .headerTooLarge(let n, let limit):
            return "header length \(n) is larger than the \(limit)-byte limit; this is not a safetensors file or it is corrupt"
        case .headerPastEnd(let n, let available):
            return "header length \(n) runs past the end of the file (\(available) bytes after the length field); the file is truncated or corrupt"
        case .malformedHeader(let m): return "header is not valid JSON: \(m)"
        case .headerNotObject(let found): return "header must be a JSON object, found \(found)"
        case .entryNotObject(let t, let found): return "tensor \(t): entry must be an object with dtype, shape and data_offsets, found \(found)"
        case .missingField(let t, let f): return "tensor \(t): missing \"\(f)\""
        case .unexpectedField(let t, let f): return "tensor \(t): unexpected field \"\(f)\" (only dtype, shape, data_offsets)"
        case .unknownDtype(let t, let d): return "tensor \(t): unknown dtype \"\(d)\""
        case .unsupportedDtype(let t, let d): return "tensor \(t): dtype \(d) is not supported (we read F32); convert the tensor to float32"
        case .badShape(let t, let r): return "tensor \(t): bad shape: \(r)"
        case .badOffsets(let t, let r): return "tensor \(t): bad data_offsets: \(r)"
        case .sizeMismatch(let t, let b, let e, let shape):
            let need = shape.reduce(1, *)
            let bytes = e - b
            let held = bytes % 4 == 0 ? "\(bytes / 4) floats" : "\(bytes) bytes (not a whole number of floats)"
            return "tensor \(t): data_offsets [\(b), \(e)] hold \(held) but shape \(sh(shape)) needs \(need)"
        case .offsetsOutOfRange(let t, let e, let n):
            return "tensor \(t): data_offsets end \(e) is past the end of the data section (\(n) bytes); the file is truncated or corrupt"
        case .overlappingTensors(let a, let b): return "tensors \(a) and \(b) overlap in the data section"
        case .gapInData(let at, let before):
            return "data section has unused bytes at offset \(at) (before tensor \(before)); safetensors data must be contiguous"
        case .trailingBytes(let n, let total):
            return "\(n) bytes after the last tensor (data section is \(total) bytes); the file is corrupt or was appended to"
        case .duplicateTensor(let t): return "tensor \(t) appears twice in the header"
        case .badMetadata(let r): return "bad __metadata__: \(r)"
        case .notAModelFile(let f):
            if let f { return "__metadata__ format is \"\(f)\", expected \"\(ModelFile.format)\"; this is not a fer-cam model file" }
            return "no __metadata__ format; this safetensors file is not a fer-cam model file (export one with `fer-train train`)"
        case .unsupportedVersion(let found, let supported):
            return "format_version \(found) is not supported (this build reads version \(supported)); use the fer-cam version that wrote it or retrain"
        case .missingMetadata(let k): return "__metadata__ has no \"\(k)\"; the file is incomplete (re-export it with `fer-train`)"
        case .badSpec(let m): return "architecture in __metadata__ spec is invalid: \(m)"
        case .badLabels(let found):
            return "labels are \(found), expected the 7 FER2013 emotions in order \(Emotion.names.joined(separator: ","))"
        case .badNormalization(let r): return "bad normalization: \(r)"
        case .badProvenance(let r): return "bad provenance: \(r)"
        case .badMembers(let r): return "bad \"members\" in __metadata__: \(r)"
        case .missingTensor(let n, let e):
            return "tensor \(n) \(sh(e)) is missing; the architecture needs it (was it trained with another --arch?)"
        case .extraTensor(let n):
            return "tensor \(n) is not part of the architecture (was it trained with another --arch?)"
        case .shapeMismatch(let n, let f, let e):
            return "tensor \(n) has shape \(sh(f)), architecture expects \(sh(e)) (was it trained with another --arch?)"
        case .nonFinite(let n, let i, let v):
            return "tensor \(n) holds \(v) at index \(i); the weights are broken (training diverged?), retrain or use another file"
        }
    }
}

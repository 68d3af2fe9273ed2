// The training checkpoint: one safetensors file holding the weights
// ("model.<name>"), the optimizer's buffers ("optimizer.<name>") and, in
// __metadata__, the recipe, architecture, normalization, trainer state and
// provenance. Written to a temporary file and renamed, so a crash never leaves
// half a checkpoint. It does not train.
import FERNet
import Foundation

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case notACheckpoint(path: String, reason: String)
    case mismatch(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notACheckpoint(let p, let r): return "checkpoint \(p): \(r) (pass a last.ckpt written by fer-train train)"
        case .mismatch(let p, let r): return "checkpoint \(p): \(r) (resume with the same data, or start a new run with another --out)"
        case .writeFailed(let p, let r): return "checkpoint \(p): cannot write: \(r) (check free space and permissions of the --out folder)"
        }
    }
}

public struct Checkpoint: Sendable {
    public static let format = "fer-train-checkpoint"
    public static let formatVersion = "1"

    public var spec: ModelSpec
    public var config: TrainConfig
    public var normalization: InputNormalization
    public var state: TrainerState
    public var model: [NamedTensor]
    public var optimizerStep: Int
    public var optimizer: [NamedTensor]
    public var provenance: [String: String]
    /// Where it was loaded from (for messages); empty for a checkpoint made in memory.
    public var path = ""

    public init(spec: ModelSpec, config: TrainConfig, normalization: InputNormalization, state: TrainerState,
                model: [NamedTensor], optimizerStep: Int, optimizer: [NamedTensor], provenance: [String: String]) {
        self.spec = spec; self.config = config; self.normalization = normalization; self.state = state
        self.model = model; self.optimizerStep = optimizerStep; self.optimizer = optimizer; self.provenance = provenance
    }

    /// Metrics may be NaN (no validation split): they travel as the strings "nan", "inf", "-inf".
    private static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    private static func json<T: Encodable>(_ v: T, path: String) throws(CheckpointError) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFinite.positiveInfinity,
                                                                negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        do { return String(decoding: try e.encode(v), as: UTF8.self) } catch {
            throw .writeFailed(path: path, reason: "cannot encode \(T.self) as JSON: \(error)")
        }
    }

    public func encoded(path: String) throws(CheckpointError) -> [UInt8] {
        let tensors = model.map { NamedTensor(name: "model." + $0.name, shape: $0.shape, values: $0.values) }
            + optimizer.map { NamedTensor(name: "optimizer." + $0.name, shape: $0.shape, values: $0.values) }
        let metadata: [String: String] = [
            "format": Self.format,
            "format_version": Self.formatVersion,
            "spec": spec.jsonText,
            "config": try Self.json(config, path: path),
            "normalization": try Self.json(normalization, path: path),
            "state": try Self.json(state, path: path),
            "optimizer_step": String(optimizerStep),
            "provenance": try Self.json(provenance, path: path),
        ]
        do { return try SafeTensors(tensors: tensors, metadata: metadata).encoded(path: path) } catch {
            throw .writeFailed(path: path, reason: error.description)
        }
    }

    /// Writes to `url.tmp`, flushes, then renames over `url`.
    public func save(to url: URL) throws(CheckpointError) {
        let bytes = try encoded(path: url.path)
        try AtomicFile.write(bytes, to: url) { CheckpointError.writeFailed(path: url.path, reason: $0) }
    }

    public static func load(from url: URL) throws(CheckpointError) -> Checkpoint {
        let path = url.path
        let file: SafeTensors
        do { file = try SafeTensors.read(from: url) } catch { throw .notACheckpoint(path: path, reason: error.description) }
        let m = file.metadata
        guard m["format"] == format else { throw .notACheckpoint(path: path, reason: "its format is \(m["format"] ?? "missing"), not \(format)") }
        guard m["format_version"] == formatVersion else {
            throw .notACheckpoint(path: path, reason: "format version \(m["format_version"] ?? "missing"); this build reads \(formatVersion)")
        }
        func decode<T: Decodable>(_ key: String, as: T.Type) throws(CheckpointError) -> T {
            guard let text = m[key] else { throw .notACheckpoint(path: path, reason: "metadata \"\(key)\" is missing") }
            let d = JSONDecoder()
            d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: nonFinite.positiveInfinity,
                                                                      negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
            do { return try d.decode(T.self, from: Data(text.utf8)) } catch {
                throw .notACheckpoint(path: path, reason: "metadata \"\(key)\" is not valid: \(error)")
            }
        }
        let spec: ModelSpec
        do { spec = try ModelSpec(jsonText: m["spec"] ?? "") } catch { throw .notACheckpoint(path: path, reason: error.description) }
        guard let stepText = m["optimizer_step"], let optStep = Int(stepText) else {
            throw .notACheckpoint(path: path, reason: "metadata \"optimizer_step\" is missing")
        }
        var model: [NamedTensor] = [], optimizer: [NamedTensor] = []
        for t in file.tensors {
            if t.name.hasPrefix("model.") {
                model.append(NamedTensor(name: String(t.name.dropFirst(6)), shape: t.shape, values: t.values))
            } else if t.name.hasPrefix("optimizer.") {
                optimizer.append(NamedTensor(name: String(t.name.dropFirst(10)), shape: t.shape, values: t.values))
            } else {
                throw .notACheckpoint(path: path, reason: "tensor \(t.name) is neither model.* nor optimizer.*")
            }
        }
        var ck = Checkpoint(spec: spec, config: try decode("config", as: TrainConfig.self),
                            normalization: try decode("normalization", as: InputNormalization.self),
                            state: try decode("state", as: TrainerState.self), model: model,
                            optimizerStep: optStep, optimizer: optimizer,
                            provenance: try decode("provenance", as: [String: String].self))
        ck.path = path
        return ck
    }
}

/// Whole-file writes through a temporary file and rename(2).
public enum AtomicFile {
    public static func write<E: Error>(_ bytes: [UInt8], to url: URL, error makeError: (String) -> E) throws(E) {
        let fm = FileManager.default
        let dir = url.deletingLastPathComponent()
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch { throw makeError(error.localizedDescription) }
        let tmp = url.path + ".tmp"
        guard let fh = fopen(tmp, "wb") else { throw makeError("cannot create \(tmp): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, fh) }
        let flushed = fflush(fh) == 0 && fsync(fileno(fh)) == 0
        fclose(fh)
        guard written == bytes.count, flushed else {
            unlink(tmp)
            throw makeError("short write to \(tmp)")
        }
        guard rename(tmp, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw makeError("rename \(tmp) → \(url.path): \(reason)")
        }
    }

    public static func write<E: Error>(_ text: String, to url: URL, error makeError: (String) -> E) throws(E) {
        try write(Array(text.utf8), to: url, error: makeError)
    }
}

// The fer-cam model file: a safetensors file whose tensors are the network's
// weights and whose __metadata__ says everything else (format, version,
// architecture as JSON, labels, input normalization, training provenance).
// An ensemble file holds several networks instead (ModelFileMembers.swift).
// Saving is atomic; loading checks the file against its own architecture so a
// network can be built from it without further checks. It does no math.

import Foundation

/// One network of a model file: its architecture and its weights in the spec's
/// parameter order (`ModelSpec.parameterShapes()`).
public struct ModelMember: Equatable, Sendable {
    public var spec: ModelSpec
    public var tensors: [NamedTensor]

    public init(spec: ModelSpec, tensors: [NamedTensor]) {
        self.spec = spec
        self.tensors = tensors
    }
}

/// Everything a model file holds.
public struct LoadedModel: Equatable, Sendable {
    /// One network for a plain model; two or more for an ensemble, whose output
    /// is the mean of its members' probabilities. All take the same input and
    /// give the same number of classes.
    public var members: [ModelMember]
    /// A plain model's architecture (an ensemble's first member's: code that
    /// runs models goes through `members` or `networks()`).
    public var spec: ModelSpec { members[0].spec }
    /// A plain model's weights (an ensemble's first member's).
    public var tensors: [NamedTensor] { members[0].tensors }
    public var isEnsemble: Bool { members.count > 1 }
    /// The architecture names: "fer-vgg", or an ensemble's "fer-vgg + fer-vgg-half".
    public var architecture: String { members.map(\.spec.name).joined(separator: " + ") }
    public var normalization: InputNormalization
    /// The FER2013 emotion names in order (equal to `Emotion.names`).
    public var labels: [String]
    /// Where the weights came from: data, recipe, command, accuracy, date, ...
    public var provenance: [String: String]

    /// A plain model: one network.
    public init(spec: ModelSpec, tensors: [NamedTensor], normalization: InputNormalization,
                labels: [String], provenance: [String: String]) {
        self.init(members: [ModelMember(spec: spec, tensors: tensors)], normalization: normalization, labels: labels, provenance: provenance)
    }

    /// A plain model (one member) or an ensemble; `members` must not be empty.
    public init(members: [ModelMember], normalization: InputNormalization,
                labels: [String], provenance: [String: String]) {
        precondition(!members.isEmpty, "a model has at least one network")
        self.members = members
        self.normalization = normalization
        self.labels = labels
        self.provenance = provenance
    }
}

public enum ModelFile {
    /// `__metadata__` "format" of every fer-cam model file.
    public static let format = "fer-cam-model"
    /// The one `format_version` this build reads and writes.
    public static let formatVersion = "1"
    /// Where fer-train writes and fer-cam looks by default.
    public static let defaultPath = "models/emotion-cnn.safetensors"

    /// `__metadata__` keys.
    public enum Key {
        public static let format = "format", formatVersion = "format_version", spec = "spec",
                          labels = "labels", normalization = "normalization", provenance = "provenance",
                          members = "members"
    }

    // MARK: Saving

    /// Checks the tensors against the spec, then writes the model atomically
    /// (temporary file + rename), creating missing folders.
    public static func save(spec: ModelSpec, tensors: [NamedTensor], normalization: InputNormalization,
                            labels: [String] = Emotion.names, provenance: [String: String],
                            to url: URL) throws(ModelFileError) {
        try save(LoadedModel(spec: spec, tensors: tensors, normalization: normalization, labels: labels, provenance: provenance), to: url)
    }

    /// Saves `model` (plain or ensemble) atomically.
    public static func save(_ model: LoadedModel, to url: URL) throws(ModelFileError) {
        try FileBytes.writeAtomically(try encode(model, path: url.relativePath), to: url)
    }

    /// The file's bytes (what `save` writes). Refuses to encode a model that `decode` would reject.
    public static func encode(spec: ModelSpec, tensors: [NamedTensor], normalization: InputNormalization,
                              labels: [String] = Emotion.names, provenance: [String: String],
                              path: String = "<memory>") throws(ModelFileError) -> [UInt8] {
        try encode(LoadedModel(spec: spec, tensors: tensors, normalization: normalization, labels: labels, provenance: provenance), path: path)
    }

    /// The bytes of a plain model ("spec" in the metadata, tensors under their
    /// own names) or an ensemble (see ModelFileMembers.swift).
    public static func encode(_ model: LoadedModel, path: String = "<memory>") throws(ModelFileError) -> [UInt8] {
        func fail(_ p: ModelFileError.Problem) -> ModelFileError { ModelFileError(path: path, problem: p) }
        try checkLabels(model.labels, fail: fail)
        try checkNormalization(model.normalization, fail: fail)
        let (architecture, tensors) = try encodeMembers(model.members, path: path)
        var metadata: [String: String] = [
            Key.format: format,
            Key.formatVersion: formatVersion,
            Key.labels: JSONValue.array(model.labels.map { .string($0) }).text,
            Key.normalization: model.normalization.json.text,
            Key.provenance: JSONValue.object(model.provenance.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).text,
        ]
        metadata[model.isEnsemble ? Key.members : Key.spec] = architecture
        return try SafeTensors(tensors: tensors, metadata: metadata).encoded(path: path)
    }

    // MARK: Loading

    /// Reads, validates and returns the model at `url`.
    public static func load(from url: URL) throws(ModelFileError) -> LoadedModel {
        try decode(try FileBytes.read(url), path: url.relativePath)
    }

    /// Validates and decodes a model file held in memory; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(ModelFileError) -> LoadedModel {
        func fail(_ p: ModelFileError.Problem) -> ModelFileError { ModelFileError(path: path, problem: p) }
        let file = try SafeTensors.decode(bytes, path: path)
        let meta = file.metadata

        guard let fmt = meta[Key.format], fmt == format else { throw fail(.notAModelFile(format: meta[Key.format])) }
        guard let version = meta[Key.formatVersion] else { throw fail(.missingMetadata(key: Key.formatVersion)) }
        guard version == formatVersion else { throw fail(.unsupportedVersion(found: version, supported: formatVersion)) }

        func json(_ key: String) throws(ModelFileError) -> JSONValue {
            guard let text = meta[key] else { throw fail(.missingMetadata(key: key)) }
            do { return try JSONValue.parse(text) } catch {
                throw fail(.badMetadata(reason: "\"\(key)\" is not valid JSON: \(error)"))
            }
        }

        let labelsValue = try json(Key.labels)
        guard let items = labelsValue.arrayValue, case let labels = items.compactMap(\.stringValue), labels.count == items.count else {
            throw fail(.badLabels(found: labelsValue.text.count <= 200 ? labelsValue.text : labelsValue.shortText))
        }
        try checkLabels(labels, fail: fail)

        let normalization = try decodeNormalization(try json(Key.normalization), fail: fail)
        try checkNormalization(normalization, fail: fail)

        let provenanceValue = try json(Key.provenance)
        guard let pairs = provenanceValue.objectValue else {
            throw fail(.badProvenance(reason: "must be a JSON object of strings, found \(provenanceValue.kindName)"))
        }
        var provenance: [String: String] = [:]
        for (k, v) in pairs {
            guard let s = v.stringValue else { throw fail(.badProvenance(reason: "\"\(k)\" must be a string, found \(v.shortText)")) }
            provenance[k] = s
        }

        let members: [ModelMember]
        switch (meta[Key.spec], meta[Key.members]) {
        case (.some, .some):
            throw fail(.badMembers(reason: "the file has both \"spec\" (one network) and \"members\" (an ensemble); keep one"))
        case (_, .some):
            members = try decodeMembers(try json(Key.members), tensors: file.tensors, path: path)
        default:
            let specValue = try json(Key.spec)
            let spec: ModelSpec
            do { spec = try ModelSpec(json: specValue) } catch { throw fail(.badSpec(error.description)) }
            members = [ModelMember(spec: spec, tensors: try checkTensors(file.tensors, against: spec, path: path))]
        }
        return LoadedModel(members: members, normalization: normalization, labels: labels, provenance: provenance)
    }

    // MARK: Checks

    /// Checks that `tensors` are exactly what `spec` needs (names, shapes) and
    /// hold only finite values; returns them in the spec's parameter order.
    public static func checkTensors(_ tensors: [NamedTensor], against spec: ModelSpec, path: String) throws(ModelFileError) -> [NamedTensor] {
        func fail(_ p: ModelFileError.Problem) -> ModelFileError { ModelFileError(path: path, problem: p) }
        let expected: [(name: String, shape: [Int])]
        do { expected = try spec.parameterShapes() } catch { throw fail(.badSpec(error.description)) }

        var byName: [String: NamedTensor] = [:]
        for t in tensors {
            guard byName.updateValue(t, forKey: t.name) == nil else { throw fail(.duplicateTensor(t.name)) }
        }
        var ordered: [NamedTensor] = []
        for (name, shape) in expected {
            guard let t = byName.removeValue(forKey: name) else { throw fail(.missingTensor(name: name, expected: shape)) }
            guard t.shape == shape else { throw fail(.shapeMismatch(name: name, found: t.shape, expected: shape)) }
            if let i = t.values.firstIndex(where: { !$0.isFinite }) { throw fail(.nonFinite(name: name, index: i, value: t.values[i])) }
            ordered.append(t)
        }
        // Report the first extra tensor in file order, so the message is stable.
        if let extra = tensors.first(where: { byName[$0.name] != nil }) { throw fail(.extraTensor(name: extra.name)) }
        return ordered
    }

    static func checkLabels(_ labels: [String], fail: (ModelFileError.Problem) -> ModelFileError) throws(ModelFileError) {
        guard labels == Emotion.names else {
            let text = JSONValue.array(labels.map { .string($0) }).text
            throw fail(.badLabels(found: text.count <= 200 ? text : String(text.prefix(197)) + "..."))
        }
    }

    static func checkNormalization(_ n: InputNormalization, fail: (ModelFileError.Problem) -> ModelFileError) throws(ModelFileError) {
        guard n.scale.isFinite, n.mean.isFinite, n.std.isFinite, n.std > 0, n.scale != 0 else {
            throw fail(.badNormalization(reason: "scale \(n.scale), mean \(n.mean), std \(n.std): all must be finite, scale non-zero and std > 0"))
        }
    }

    static func decodeNormalization(_ value: JSONValue, fail: (ModelFileError.Problem) -> ModelFileError) throws(ModelFileError) -> InputNormalization {
        guard let pairs = value.objectValue else {
            throw fail(.badNormalization(reason: "must be {\"scale\":…,\"mean\":…,\"std\":…}, found \(value.kindName)"))
        }
        var numbers: [String: Float] = [:]
        for (k, v) in pairs {
            guard ["scale", "mean", "std"].contains(k) else { throw fail(.badNormalization(reason: "unknown key \"\(k)\" (expected scale, mean, std)")) }
            guard let f = v.floatValue else { throw fail(.badNormalization(reason: "\"\(k)\" must be a finite number, found \(v.shortText)")) }
            numbers[k] = f
        }
        guard let scale = numbers["scale"], let mean = numbers["mean"], let std = numbers["std"] else {
            throw fail(.badNormalization(reason: "needs scale, mean and std, found \(value.shortText)"))
        }
        return InputNormalization(scale: scale, mean: mean, std: std)
    }
}

extension InputNormalization {
    /// {"scale":…,"mean":…,"std":…}, as stored in model files and ONNX metadata.
    public var json: JSONValue {
        .object([("scale", .float(scale)), ("mean", .float(mean)), ("std", .float(std))])
    }
}

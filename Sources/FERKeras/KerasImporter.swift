// `fer-train import`'s work: a Keras .h5 or .keras file → an ordinary fer-cam
// model (LoadedModel) whose outputs are in fer-cam's emotion order and whose
// metadata records the normalization and where it came from (source file, its
// sha256, Keras version). Saving is the caller's (ModelFile.save is atomic, so
// nothing is written on failure). It never guesses labels.

import FERNet
import Foundation

public struct KerasImport: Sendable {
    public var model: LoadedModel
    /// One line about the source, e.g. `seed_A.h5: Keras 3.15.1, legacy HDF5, Functional "seed_A", 25 layers`.
    public var source: String
    /// What the user should know about the conversion.
    public var notes: [String]
}

public enum KerasImporter {
    /// Reads and converts the Keras file at `path`. `command` is recorded in the provenance.
    public static func load(_ path: String, labels: KerasLabelOrder, normalization: KerasNormalization,
                            command: String) throws(KerasImportError) -> KerasImport {
        let source = try KerasSource.open(path)
        let config = try KerasModelConfig.parse(source.configText, path: path)
        var converter = KerasConverter(path: path, weights: source.weights)
        let converted = try converter.convert(config, labels: labels)
        let parameters = converted.tensors.reduce(0) { $0 + $1.values.count }
        let version = source.kerasVersion ?? "unknown"
        var provenance: [String: String] = [
            "imported_from": URL(fileURLWithPath: path).lastPathComponent,
            "imported_sha256": source.sha256,
            "keras_version": version,
            "keras_format": source.format,
            "keras_model": "\(config.className) \"\(config.name)\", \(config.layers.count) layers",
            "label_order": labels.text,
            "normalization": normalization.name,
            "parameters": String(parameters),
            "command": command,
            "date": ISO8601DateFormatter().string(from: Date()),
        ]
        if let backend = source.backend { provenance["keras_backend"] = backend }
        let model = LoadedModel(spec: converted.spec, tensors: converted.tensors, normalization: normalization.value,
                                labels: Emotion.names, provenance: provenance)
        let line = "\(URL(fileURLWithPath: path).lastPathComponent): Keras \(version), \(source.format), \(config.className) \"\(config.name)\", \(config.layers.count) layers, \(parameters) parameters"
        return KerasImport(model: model, source: line, notes: converted.notes)
    }
}

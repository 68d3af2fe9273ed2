// Opens a Keras model file and tells its format by its first bytes: legacy
// HDF5 (`\x89HDF`, the `model_config` and `keras_version` attributes, weights
// under model_weights/) or the Keras v3 zip (`PK`, holding config.json,
// metadata.json and model.weights.h5, read in memory with ZIPFoundation).
// It hands the architecture JSON, the versions and a weight store to the
// importer, and the file's sha256 for provenance. It converts nothing.

import FERNet
import Foundation
import ZIPFoundation

struct KerasSource {
    /// "legacy HDF5" or "Keras v3 zip".
    var format: String
    var configText: String
    var kerasVersion: String?
    var backend: String?
    var weights: any KerasWeightStore
    var sha256: String
    var bytes: Int

    static func open(_ path: String) throws(KerasImportError) -> KerasSource {
        func fail(_ kind: KerasImportError.Kind, _ why: String) -> KerasImportError { KerasImportError(path: path, kind: kind, message: why) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw fail(.missing, "no such file (give the .h5 or .keras file your Keras script saved with model.save)")
        }
        guard !isFolder.boolValue else {
            throw fail(.missing, "is a folder; give the .h5 or .keras file (a TensorFlow SavedModel folder is not supported: in Keras, model.save(\"model.keras\") writes one)")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw fail(.missing, "cannot read it: \(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        let sha = SHA256.hex(of: bytes)
        if bytes.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) {
            return try legacy(bytes, path: path, sha: sha)
        }
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
            return try zip(data, path: path, sha: sha)
        }
        throw fail(.malformed, "not a Keras model file: it is neither HDF5 (.h5, starts with \\x89HDF) nor a Keras v3 zip (.keras, starts with PK)\(bytes.isEmpty ? "; the file is empty" : "")")
    }

    private static func legacy(_ bytes: [UInt8], path: String, sha: String) throws(KerasImportError) -> KerasSource {
        func malformed(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .malformed, message: why) }
        do throws(HDF5Error) {
            let file = try HDF5File(image: bytes)
            guard let config = try file.strings(attribute: "model_config")?.first else {
                throw HDF5Error(message: "the HDF5 file has no model_config attribute: it holds weights only (model.save_weights?); save the whole model with model.save(\"model.h5\") or model.save(\"model.keras\")")
            }
            guard try file.exists("model_weights") else {
                throw HDF5Error(message: "the HDF5 file has a model_config but no model_weights group (saved with include_optimizer only, or truncated?)")
            }
            return KerasSource(format: "legacy HDF5", configText: config,
                               kerasVersion: try file.strings(attribute: "keras_version")?.first,
                               backend: try file.strings(attribute: "backend")?.first,
                               weights: LegacyH5Weights(file: file), sha256: sha, bytes: bytes.count)
        } catch {
            throw malformed("\(error.message)\(error.message.contains("truncated") ? "" : " (is the file truncated?)")")
        }
    }

    private static func zip(_ data: Data, path: String, sha: String) throws(KerasImportError) -> KerasSource {
        func malformed(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .malformed, message: why) }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw malformed("a zip file that cannot be read (\(error)); is it truncated?")
        }
        func entry(_ name: String) throws(KerasImportError) -> Data? {
            guard let e = archive[name] else { return nil }
            var out = Data()
            do { _ = try archive.extract(e, consumer: { out.append($0) }) } catch {
                throw malformed("\(name) in the zip cannot be read (\(error)); is the file truncated?")
            }
            return out
        }
        guard let config = try entry("config.json") else {
            throw malformed("a zip without config.json: not a Keras v3 .keras file (Keras writes config.json, metadata.json and model.weights.h5)")
        }
        guard let weightBytes = try entry("model.weights.h5") else { throw malformed("the .keras zip has no model.weights.h5") }
        var version: String? = nil
        if let meta = try entry("metadata.json"), let text = String(data: meta, encoding: .utf8),
           let pairs = (try? JSONValue.parse(text))?.objectValue {
            version = pairs.first { $0.0 == "keras_version" }?.1.stringValue
        }
        let file: HDF5File
        do { file = try HDF5File(image: [UInt8](weightBytes)) } catch { throw malformed("model.weights.h5 in the zip: \(error.message)") }
        guard let text = String(data: config, encoding: .utf8) else { throw malformed("config.json is not UTF-8 text") }
        return KerasSource(format: "Keras v3 zip", configText: text, kerasVersion: version, backend: nil,
                           weights: V3ZipWeights(file: file), sha256: sha, bytes: data.count)
    }
}

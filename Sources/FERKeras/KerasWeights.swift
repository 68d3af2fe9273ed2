// Where a Keras file keeps each layer's weights, for the two layouts:
//   legacy .h5:  model_weights/<layer>/ with a `weight_names` attribute
//                ("conv2d/kernel:0", ...) naming datasets below the group;
//   .keras zip:  model.weights.h5 with layers/<layer>/vars/0, 1, ... in the
//                layer's own order (kernel, bias; gamma, beta, mean, variance).
// Both hand back the weights by role ("kernel", "bias", "gamma", ...), so the
// converter never sees the layout. Values are Keras's, not yet reordered.

/// A layer's weights by role, in the layout Keras wrote them (a conv kernel (kH, kW, Cin, Cout)).
protocol KerasWeightStore {
    /// The weights of `layer`, which Keras writes in the order of `roles`; exactly these, else an error.
    func weights(of layer: KerasLayer, roles: [String], path: String) throws(KerasImportError) -> [String: HDF5Array]
}

/// Legacy HDF5 (`model.save("x.h5")`, tf.keras 2 and Keras 3): weights found by name.
struct LegacyH5Weights: KerasWeightStore {
    let file: HDF5File

    func weights(of layer: KerasLayer, roles: [String], path: String) throws(KerasImportError) -> [String: HDF5Array] {
        func malformed(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .malformed, message: "\(layer.label): \(why)") }
        let group = "model_weights/\(layer.name)"
        func read<T>(_ body: () throws(HDF5Error) -> T) throws(KerasImportError) -> T {
            do { return try body() } catch { throw malformed(error.message) }
        }
        guard try read({ () throws(HDF5Error) in try file.exists(group) }) else {
            throw malformed("no weights group \(group) in the file (truncated, or saved from another model?)")
        }
        let names = try read { () throws(HDF5Error) in try file.strings(attribute: "weight_names", of: group) } ?? []
        var result: [String: HDF5Array] = [:]
        for name in names {
            var role = String(name.split(separator: "/").last ?? "")
            if role.hasSuffix(":0") { role.removeLast(2) }
            guard roles.contains(role), result[role] == nil else {
                throw malformed("unexpected weight \(name) (expected \(roles.joined(separator: ", ")))")
            }
            result[role] = try read { () throws(HDF5Error) in try file.floats("\(group)/\(name)") }
        }
        if let missing = roles.first(where: { result[$0] == nil }) {
            throw malformed("weight \"\(missing)\" is missing (the group holds \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        return result
    }
}

/// Keras v3 zip (`model.save("x.keras")`): weights by position under layers/<name>/vars.
struct V3ZipWeights: KerasWeightStore {
    let file: HDF5File

    func weights(of layer: KerasLayer, roles: [String], path: String) throws(KerasImportError) -> [String: HDF5Array] {
        func malformed(_ why: String) -> KerasImportError { KerasImportError(path: path, kind: .malformed, message: "\(layer.label): \(why)") }
        let group = "layers/\(layer.name)/vars"
        var result: [String: HDF5Array] = [:]
        do throws(HDF5Error) {
            var count = 0
            if try file.exists(group) { while try file.exists("\(group)/\(count)") { count += 1 } }
            guard count == roles.count else {
                throw HDF5Error(message: "model.weights.h5 holds \(count) weights in \(group), the layer needs \(roles.count) (\(roles.joined(separator: ", ")))")
            }
            for (i, role) in roles.enumerated() { result[role] = try file.floats("\(group)/\(i)") }
        } catch { throw malformed(error.message) }
        return result
    }
}

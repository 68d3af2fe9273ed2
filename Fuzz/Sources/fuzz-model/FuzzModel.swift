// Fuzz target: the model-file loader. Each input is the bytes of a file as
// `ModelFile.load(from:)` would read them; they go through the same two entry
// points it uses: `SafeTensors.decode` (8-byte length, JSON header, data
// section) and `ModelFile.decode` (fer-cam __metadata__: format, labels,
// normalization, provenance, spec or ensemble members, tensors checked against
// the architecture).
// Checks: no crash (ASan, Swift traps), no hang (libFuzzer -timeout), every
// error renders its message, and two round trips: a container that decodes
// encodes and decodes back to the same tensors (bit for bit) and metadata; a
// model that loads encodes (what `save` writes) and loads equal.
// It does not build or run networks.
import FERNet
import FuzzSupport

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked(seeds)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)

    // The container on its own.
    do {
        let file = try SafeTensors.decode(bytes, path: "<fuzz>")
        let again: SafeTensors
        do { again = try SafeTensors.decode(try file.encoded(), path: "<re-encoded>") } catch {
            fuzzFail("a decoded safetensors file does not encode and decode again: \(error)")
        }
        fuzzCheck(again.metadata == file.metadata, "metadata changed in a round trip: \(file.metadata) → \(again.metadata)")
        fuzzCheck(sameBits(again.tensors, file.tensors), "tensors changed in a round trip")
    } catch {
        _ = error.description
    }

    // The model file (what ModelFile.load does after reading the bytes).
    do {
        let model = try ModelFile.decode(bytes, path: "<fuzz>")
        let again: LoadedModel
        do { again = try ModelFile.decode(try ModelFile.encode(model), path: "<re-encoded>") } catch {
            fuzzFail("a model that loads does not save and load again: \(error)")
        }
        fuzzCheck(again == model, "the model changed in a save/load round trip")
        _ = model.architecture
        for member in model.members { _ = try? member.spec.outputCount() }
    } catch {
        _ = error.description
    }
    return 0
}

/// Same names, shapes and float bit patterns (NaN included) in the same order.
func sameBits(_ a: [NamedTensor], _ b: [NamedTensor]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.name == y.name && x.shape == y.shape && x.values.map(\.bitPattern) == y.values.map(\.bitPattern)
    }
}

// MARK: - Seeds (written by the library itself)

/// Weights for `spec`, small deterministic values.
func weights(_ spec: ModelSpec) throws -> [NamedTensor] {
    try spec.parameterShapes().enumerated().map { i, p in
        let n = p.shape.reduce(1, *)
        return NamedTensor(name: p.name, shape: p.shape, values: (0..<n).map { Float(($0 + i) % 7) * 0.125 - 0.25 })
    }
}

func seeds() throws -> [(name: String, bytes: [UInt8])] {
    let dense = ModelSpec(name: "fuzz-dense", input: [1, 2, 2], layers: [.flatten, .dense(name: "fc", outFeatures: 7)])
    let conv = ModelSpec(name: "fuzz-conv", input: [1, 4, 4], layers: [
        .conv2d(name: "c1", outChannels: 2, kernel: 3, stride: 1, padding: 1), .batchNorm(name: "bn1", epsilon: 1e-5, momentum: 0.1),
        .relu, .maxPool(kernel: 2, stride: 2), .avgPool(kernel: 1, stride: 1), .dropout(rate: 0.25),
        .globalAvgPool, .dense(name: "fc", outFeatures: 7),
    ])
    let norm = InputNormalization(scale: 1.0 / 255.0, mean: 0.5, std: 0.25)
    let provenance = ["data": "fuzz seed", "recipe": "none"]
    let plain = try ModelFile.encode(spec: dense, tensors: try weights(dense), normalization: norm, provenance: provenance)
    let layered = try ModelFile.encode(spec: conv, tensors: try weights(conv), normalization: InputNormalization(), provenance: [:])
    let ensemble = try ModelFile.encode(LoadedModel(
        members: [ModelMember(spec: dense, tensors: try weights(dense)),
                  ModelMember(spec: ModelSpec(name: "fuzz-pool", input: [1, 2, 2], layers: [.globalAvgPool, .dense(name: "fc", outFeatures: 7)]),
                              tensors: try weights(ModelSpec(name: "fuzz-pool", input: [1, 2, 2], layers: [.globalAvgPool, .dense(name: "fc", outFeatures: 7)])))],
        normalization: norm, labels: Emotion.names, provenance: provenance))
    let container = try SafeTensors(tensors: [NamedTensor(name: "t", shape: [2], values: [1, -2])], metadata: ["k": "v"]).encoded()
    return [("plain-dense.safetensors", plain), ("conv-bn-pool.safetensors", layered),
            ("ensemble.safetensors", ensemble), ("container-only.safetensors", container)]
}

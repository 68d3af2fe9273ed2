// Tests of ModelSpec ⇄ JSON: the readable form, round trips, strict errors.

import Testing
@testable import FERNet

@Suite struct ModelSpecJSONTests {
    @Test func writesTheDocumentedReadableForm() {
        let spec = ModelSpec(name: "fer-vgg", input: [1, 48, 48], layers: [
            .conv2d(name: "conv1", outChannels: 32, kernel: 3, stride: 1, padding: 1), .relu,
        ])
        #expect(spec.jsonText == #"{"name":"fer-vgg","input":[1,48,48],"layers":[{"type":"conv2d","name":"conv1","out":32,"kernel":3,"stride":1,"padding":1},{"type":"relu"}]}"#)
    }

    @Test(arguments: [ModelIOFixtures.smallSpec, ModelIOFixtures.gapSpec])
    func roundTripsEveryLayerKind(_ spec: ModelSpec) throws {
        #expect(try ModelSpec(jsonText: spec.jsonText) == spec)
    }

    @Test func readsAllLayerTypes() throws {
        let text = #"""
        {"name":"all","input":[1,16,16],"layers":[
          {"type":"conv2d","name":"c","out":2,"kernel":3,"stride":1,"padding":1},
          {"type":"batchnorm","name":"b","epsilon":1e-5,"momentum":0.1},
          {"type":"relu"},{"type":"maxpool","kernel":2,"stride":2},{"type":"avgpool","kernel":2,"stride":2},
          {"type":"dropout","rate":0.5},{"type":"globalavgpool"},{"type":"flatten"},{"type":"dense","name":"d","out":7}]}
        """#
        let spec = try ModelSpec(jsonText: text)
        #expect(spec.layers == [
            .conv2d(name: "c", outChannels: 2, kernel: 3, stride: 1, padding: 1), .batchNorm(name: "b", epsilon: 1e-5, momentum: 0.1),
            .relu, .maxPool(kernel: 2, stride: 2), .avgPool(kernel: 2, stride: 2), .dropout(rate: 0.5), .globalAvgPool, .flatten,
            .dense(name: "d", outFeatures: 7),
        ])
    }

    @Test(arguments: [
        (#"[]"#, "must be a JSON object"),
        (#"{"name":"x","input":[1,8,8]}"#, #"missing "layers""#),
        (#"{"name":"x","input":[1,8,8],"layers":[],"extra":1}"#, #"unknown key "extra""#),
        (#"{"name":"x","input":[1,8],"layers":[]}"#, "[C, H, W]"),
        (#"{"name":"x","input":[1,8,8],"layers":[{"kernel":3}]}"#, #"layer 0: missing "type""#),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"conv3d"}]}"#, #"layer 0: unknown type "conv3d""#),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"relu","inplace":true}]}"#, #"layer 0 (relu): unknown key "inplace""#),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"conv2d","name":"c","out":2,"kernel":3,"stride":1}]}"#, #"layer 0 (conv2d): missing "padding""#),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"conv2d","name":"c","out":2.5,"kernel":3,"stride":1,"padding":0}]}"#, #""out" must be an integer, found 2.5"#),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"dense","name":"","out":2}]}"#, "non-empty string"),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"dropout","rate":"high"}]}"#, "finite number"),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"dense","name":"d","out":2}]}"#, "add a flatten"),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"flatten"},{"type":"dense","name":"d","out":2},{"type":"dense","name":"d","out":2}]}"#, "duplicate name d"),
        (#"{"name":"x","#, "invalid JSON"),
        // Sizes that would overflow shape inference are refused before it runs.
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"conv2d","name":"c","out":2,"kernel":3,"stride":1,"padding":9223372036854775807}]}"#, "must be in 0...100000"),
        (#"{"name":"x","input":[4611686018427387904,8,8],"layers":[]}"#, "[C, H, W] integers in 1...100000"),
        (#"{"name":"x","input":[1,8,8],"layers":[{"type":"maxpool","kernel":-2,"stride":1}]}"#, "must be in 0...100000"),
    ])
    func strictDecodingSaysWhatAndWhere(_ text: String, _ expected: String) {
        do {
            _ = try ModelSpec(jsonText: text)
            Issue.record("decoded: \(text)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}

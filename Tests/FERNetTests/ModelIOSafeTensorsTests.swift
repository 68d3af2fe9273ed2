// Tests of the safetensors container: layout of what we write, round trips,
// one test per corrupt-file defect (each must give its own error), and
// crash safety under truncation, bit flips and random bytes.

import Foundation
import Testing
@testable import FERNet

/// A raw file from header text and data bytes (header length written as given).
private func rawFile(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    let n = length ?? UInt64(h.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + data
}

private func problem(_ bytes: [UInt8]) -> ModelFileError.Problem? {
    do { _ = try SafeTensors.decode(bytes, path: "x.safetensors"); return nil } catch { return error.problem }
}

@Suite struct SafeTensorsFormatTests {
    @Test func writesHeaderLengthAlignedJSONAndLittleEndianData() throws {
        let file = SafeTensors(tensors: [NamedTensor(name: "a", shape: [2], values: [1.0, -2.5]),
                                         NamedTensor(name: "b", shape: [1, 1], values: [0.25])],
                               metadata: ["k": "v"])
        let bytes = try file.encoded()
        let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        #expect((8 + Int(n)) % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + Int(n))], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}"#))
        let unpadded = String(header.reversed().drop(while: { $0 == " " }).reversed())
        #expect(unpadded.hasSuffix("}}") && header.count - unpadded.count < 8)  // padded with spaces only
        #expect(bytes.count == 8 + Int(n) + 12)
        // 1.0f = 0x3F800000, little-endian.
        #expect(Array(bytes[(8 + Int(n))..<(8 + Int(n) + 4)]) == [0x00, 0x00, 0x80, 0x3F])
    }

    @Test func roundTripIsBitIdentical() throws {
        let special: [Float] = [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-38, -3.1415927, .nan, .infinity]
        let tensors = [NamedTensor(name: "special", shape: [2, 4], values: special),
                       NamedTensor(name: "scalar", shape: [], values: [42]),
                       NamedTensor(name: "empty", shape: [0, 3], values: []),
                       NamedTensor(name: "ünï.weight", shape: [3], values: [1, 2, 3])]
        let file = SafeTensors(tensors: tensors, metadata: ["json": #"{"a":[1,2]}"#, "newline": "a\nb\t\"c\"", "": "empty key"])
        let back = try SafeTensors.decode(try file.encoded())
        #expect(back.metadata == file.metadata)
        #expect(back.tensors.map(\.name) == tensors.map(\.name))
        #expect(back.tensors.map(\.shape) == tensors.map(\.shape))
        for (a, b) in zip(back.tensors, tensors) {
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "\(a.name)")
        }
    }

    @Test func readsTensorsStoredOutOfHeaderOrder() throws {
        let data: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]  // 1.0, 2.0
        let bytes = rawFile(#"{"second":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"first":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: data)
        let file = try SafeTensors.decode(bytes)
        #expect(file.tensors.map(\.name) == ["first", "second"])
        #expect(file.tensors.map(\.values) == [[1.0], [2.0]])
    }

    @Test func encodingRefusesDuplicateNames() {
        let t = NamedTensor(name: "w", shape: [1], values: [1])
        #expect(throws: ModelFileError(path: "<memory>", problem: .duplicateTensor("w"))) {
            try SafeTensors(tensors: [t, t]).encoded()
        }
    }
}

@Suite struct SafeTensorsCorruptFileTests {
    let f32 = #""dtype":"F32""#

    @Test func fileTooShort() {
        #expect(problem([1, 2, 3, 4, 5]) == .tooShort(bytes: 5))
        #expect(problem([]) == .tooShort(bytes: 0))
    }

    @Test func headerLengthAbsurdlyLarge() {
        #expect(problem(rawFile("{}", length: 1 << 40)) == .headerTooLarge(length: 1 << 40, limit: SafeTensors.maxHeaderBytes))
        #expect(problem(rawFile("{}", length: .max)) == .headerTooLarge(length: .max, limit: SafeTensors.maxHeaderBytes))
    }

    @Test func headerLengthPastTheEnd() {
        #expect(problem(rawFile("{}", length: 1000)) == .headerPastEnd(length: 1000, available: 2))
    }

    @Test func malformedJSON() {
        guard case .malformedHeader(let m) = problem(rawFile(#"{"a": "#)) else { Issue.record("expected malformedHeader"); return }
        #expect(m.contains("byte"))
        guard case .malformedHeader = problem(rawFile("")) else { Issue.record("expected malformedHeader for empty header"); return }
        guard case .malformedHeader = problem(rawFile("{\"a\":\"\u{1}\"}")) else { Issue.record("expected malformedHeader"); return }
        guard case .malformedHeader = problem([2, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0xFF]) else { Issue.record("expected malformedHeader for bad UTF-8"); return }
    }

    @Test func headerNotAnObject() {
        #expect(problem(rawFile("[1,2]")) == .headerNotObject(found: "an array"))
    }

    @Test func entryNotAnObject() {
        #expect(problem(rawFile(#"{"w":5}"#)) == .entryNotObject(tensor: "w", found: "a number"))
    }

    @Test func missingAndUnexpectedFields() {
        #expect(problem(rawFile(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])) == .missingField(tensor: "w", field: "dtype"))
        #expect(problem(rawFile(#"{"w":{\#(f32),"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])) == .missingField(tensor: "w", field: "shape"))
        #expect(problem(rawFile(#"{"w":{\#(f32),"shape":[1]}}"#, data: [0, 0, 0, 0])) == .missingField(tensor: "w", field: "data_offsets"))
        #expect(problem(rawFile(#"{"w":{\#(f32),"shape":[1],"data_offsets":[0,4],"extra":1}}"#, data: [0, 0, 0, 0])) == .unexpectedField(tensor: "w", field: "extra"))
    }

    @Test func unknownAndUnsupportedDtypes() {
        let e = problem(rawFile(#"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        #expect(e == .unknownDtype(tensor: "w", dtype: "F33"))
        let u = problem(rawFile(#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        #expect(u == .unsupportedDtype(tensor: "w", dtype: "F16"))
        #expect(ModelFileError(path: "m.safetensors", problem: u!).description.contains("dtype F16 is not supported (we read F32)"))
        #expect(problem(rawFile(#"{"w":{"dtype":7,"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])) == .unknownDtype(tensor: "w", dtype: "7"))
    }

    @Test func badShapes() {
        let d: [UInt8] = [0, 0, 0, 0]
        guard case .badShape(let t, let r) = problem(rawFile(#"{"w":{\#(f32),"shape":[-1],"data_offsets":[0,4]}}"#, data: d)) else { Issue.record("negative"); return }
        #expect(t == "w" && r.contains("negative"))
        guard case .badShape(_, let r2) = problem(rawFile(#"{"w":{\#(f32),"shape":[1.5],"data_offsets":[0,4]}}"#, data: d)) else { Issue.record("fraction"); return }
        #expect(r2.contains("not an integer"))
        guard case .badShape(_, let r3) = problem(rawFile(#"{"w":{\#(f32),"shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: d)) else { Issue.record("overflow"); return }
        #expect(r3.contains("more elements"))
        guard case .badShape = problem(rawFile(#"{"w":{\#(f32),"shape":[99999999999999999999],"data_offsets":[0,4]}}"#, data: d)) else { Issue.record("huge literal"); return }
        guard case .badShape = problem(rawFile(#"{"w":{\#(f32),"shape":"1","data_offsets":[0,4]}}"#, data: d)) else { Issue.record("not array"); return }
    }

    @Test func badOffsets() {
        let d: [UInt8] = [0, 0, 0, 0]
        guard case .badOffsets = problem(rawFile(#"{"w":{\#(f32),"shape":[1],"data_offsets":[4]}}"#, data: d)) else { Issue.record("one offset"); return }
        guard case .badOffsets = problem(rawFile(#"{"w":{\#(f32),"shape":[1],"data_offsets":["0","4"]}}"#, data: d)) else { Issue.record("strings"); return }
        guard case .badOffsets = problem(rawFile(#"{"w":{\#(f32),"shape":[1],"data_offsets":[4,0]}}"#, data: d)) else { Issue.record("reversed"); return }
        guard case .badOffsets = problem(rawFile(#"{"w":{\#(f32),"shape":[1],"data_offsets":[-4,0]}}"#, data: d)) else { Issue.record("negative"); return }
    }

    @Test func sizeMismatchSaysFloatsHeldAndNeeded() throws {
        let bytes = rawFile(#"{"conv1.weight":{\#(f32),"shape":[32,1,3,3],"data_offsets":[0,100]}}"#, data: [UInt8](repeating: 0, count: 100))
        do {
            _ = try SafeTensors.decode(bytes, path: "models/x.safetensors")
            Issue.record("expected an error")
        } catch {
            #expect(error.problem == .sizeMismatch(tensor: "conv1.weight", begin: 0, end: 100, shape: [32, 1, 3, 3]))
            #expect(error.description == "model file models/x.safetensors: tensor conv1.weight: data_offsets [0, 100] hold 25 floats but shape [32,1,3,3] needs 288")
        }
    }

    @Test func offsetsPastTheDataSection() {
        #expect(problem(rawFile(#"{"w":{\#(f32),"shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]))
                == .offsetsOutOfRange(tensor: "w", end: 8, dataBytes: 4))
    }

    @Test func overlappingTensors() {
        let h = #"{"a":{\#(f32),"shape":[2],"data_offsets":[0,8]},"b":{\#(f32),"shape":[2],"data_offsets":[4,12]}}"#
        #expect(problem(rawFile(h, data: [UInt8](repeating: 0, count: 12))) == .overlappingTensors("a", "b"))
    }

    @Test func gapInData() {
        let h = #"{"a":{\#(f32),"shape":[1],"data_offsets":[0,4]},"b":{\#(f32),"shape":[1],"data_offsets":[8,12]}}"#
        #expect(problem(rawFile(h, data: [UInt8](repeating: 0, count: 12))) == .gapInData(at: 4, before: "b"))
    }

    @Test func trailingBytes() {
        let h = #"{"a":{\#(f32),"shape":[1],"data_offsets":[0,4]}}"#
        #expect(problem(rawFile(h, data: [UInt8](repeating: 0, count: 7))) == .trailingBytes(count: 3, dataBytes: 7))
    }

    @Test func duplicateNames() {
        let h = #"{"a":{\#(f32),"shape":[1],"data_offsets":[0,4]},"a":{\#(f32),"shape":[1],"data_offsets":[4,8]}}"#
        #expect(problem(rawFile(h, data: [UInt8](repeating: 0, count: 8))) == .duplicateTensor("a"))
    }

    @Test func metadataMustBeStrings() {
        guard case .badMetadata(let r) = problem(rawFile(#"{"__metadata__":{"a":1}}"#)) else { Issue.record("number value"); return }
        #expect(r.contains("\"a\""))
        guard case .badMetadata = problem(rawFile(#"{"__metadata__":[]}"#)) else { Issue.record("array"); return }
    }

    @Test func everyProblemMessageNamesTheFile() {
        let e = ModelFileError(path: "models/x.safetensors", problem: .gapInData(at: 4, before: "b"))
        #expect(e.description.hasPrefix("model file models/x.safetensors: "))
    }
}

@Suite struct SafeTensorsCrashSafetyTests {
    static func validFile() throws -> [UInt8] {
        let spec = ModelSpec(name: "tiny", input: [1, 4, 4], layers: [
            .conv2d(name: "conv1", outChannels: 2, kernel: 3, stride: 1, padding: 0),
            .batchNorm(name: "bn1", epsilon: 1e-5, momentum: 0.1), .relu, .flatten,
            .dense(name: "fc1", outFeatures: 7),
        ])
        return try ModelFile.encode(spec: spec, tensors: try ModelIOFixtures.tensors(for: spec), normalization: .init(),
                                    provenance: ["data": "test"])
    }

    @Test func everyTruncationThrows() throws {
        let bytes = try Self.validFile()
        #expect(throws: Never.self) { try ModelFile.decode(bytes) }
        print("truncation: all \(bytes.count) shorter lengths of a \(bytes.count)-byte model file must throw")
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "truncated to \(length) of \(bytes.count) bytes") {
                try ModelFile.decode(Array(bytes[0..<length]))
            }
        }
    }

    @Test func bitFlipsEverywhereOnlyEverThrow() throws {
        let bytes = try Self.validFile()
        var rejected = 0, accepted = 0
        for position in 0..<bytes.count {
            var flipped = bytes
            flipped[position] ^= 1 << UInt8(position % 8)
            do {
                _ = try ModelFile.decode(flipped)
                accepted += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejected += 1
            }
        }
        // Flips in the header-length field can never give a valid file.
        for position in 0..<8 {
            var flipped = bytes
            flipped[position] ^= 0x01
            #expect(throws: ModelFileError.self) { try ModelFile.decode(flipped) }
        }
        print("bit flips: \(bytes.count) positions, \(rejected) rejected with an error, \(accepted) still valid (flips in weights or free text)")
        #expect(rejected + accepted == bytes.count)
        #expect(rejected > bytes.count / 10)
    }

    @Test func randomBytesAndMutatedHeadersOnlyEverThrow() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let n = Int(rng.next() % 64)
            let garbage = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? SafeTensors.decode(garbage)
            // A plausible length prefix with garbage JSON behind it.
            _ = try? SafeTensors.decode(rawFile(String(decoding: garbage, as: UTF8.self), data: garbage))
        }
        // Header bytes replaced by JSON punctuation at random places.
        let bytes = try Self.validFile()
        let n = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) })
        let punctuation = Array(#"{}[]":,-0e."#.utf8)
        for _ in 0..<2000 {
            var mutated = bytes
            for _ in 0..<3 { mutated[8 + Int(rng.next() % UInt64(n))] = punctuation[Int(rng.next() % UInt64(punctuation.count))] }
            _ = try? ModelFile.decode(mutated)
        }
        // Deep nesting must be refused, not recurse without bound.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .malformedHeader(let m) = problem(rawFile(deep)) else { Issue.record("expected malformedHeader"); return }
        #expect(m.contains("nesting"))
    }
}

// Tests of the strict JSON parser and writer used by the model file.

import Testing
@testable import FERNet

@Suite struct ModelIOJSONTests {
    @Test func parsesEveryKindKeepingKeyOrderAndNumberText() throws {
        let v = try JSONValue.parse(#" {"b": [1, -2.5e-3, true, false, null], "a": {"s": "x\"y\\z\n\u00e9\ud83d\ude00"}} "#)
        guard let pairs = v.objectValue else { Issue.record("not an object"); return }
        #expect(pairs.map(\.0) == ["b", "a"])
        #expect(pairs[0].1 == .array([.number("1"), .number("-2.5e-3"), .bool(true), .bool(false), .null]))
        #expect(pairs[1].1 == .object([("s", .string("x\"y\\z\né😀"))]))
    }

    @Test func writerOutputParsesBackIdentically() throws {
        let v = JSONValue.object([("k", .string("tab\t ctl\u{1} quote\" slash\\ ü")), ("n", .array([.int(-7), .float(0.1), .float(1e-5)])),
                                  ("e", .object([])), ("z", .array([]))])
        #expect(try JSONValue.parse(v.text) == v)
        #expect(v.text.contains(#"\u0001"#))
    }

    @Test func floatsRoundTripExactly() throws {
        for f: Float in [1.0 / 255.0, 0.1, 1e-5, -3.4028235e38, 1.1754944e-38, 0.5] {
            #expect(try JSONValue.parse(JSONValue.float(f).text).floatValue == f)
        }
    }

    @Test func integerAccessorRejectsFractionsAndOverflow() throws {
        #expect(try JSONValue.parse("42").intValue == 42)
        #expect(try JSONValue.parse("-0").intValue == 0)
        #expect(try JSONValue.parse("1.0").intValue == nil)
        #expect(try JSONValue.parse("1e2").intValue == nil)
        #expect(try JSONValue.parse("9223372036854775808").intValue == nil)
        #expect(try JSONValue.parse("1e999").floatValue == nil)  // not finite
    }

    @Test(arguments: [
        ("", "end of text"), ("{", "expected a string key"), (#"{"a" 1}"#, "':'"), ("[1,]", "unexpected character"),
        ("01", "leading zeros"), ("-", "digits"), ("1.", "decimal point"), ("1e", "exponent"), ("tru", "true"),
        (#""abc"#, "unterminated"), (#""\x""#, "unknown escape"), (#""\ud800""#, "surrogate"), (#""\u12""#, "truncated"), (#""\u12g4""#, "hex digit"),
        ("[1] 2", "after the JSON value"), ("{\"a\":1,\"a\":2}", "duplicate key \"a\""), ("'a'", "unexpected character"),
    ])
    func rejectsInvalidText(_ text: String, _ expected: String) {
        do {
            _ = try JSONValue.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description.contains(expected), "\(text): \(error)")
        }
    }

    @Test func duplicateKeyReportsKeyAndDepth() {
        do { _ = try JSONValue.parse(#"{"x":{"k":1,"k":2}}"#); Issue.record("parsed") } catch {
            #expect(error.duplicateKey == "k")
            #expect(error.depth == 1)
        }
    }

    @Test func nestingIsLimited() {
        let ok = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let deep = String(repeating: "[", count: JSONValue.maxDepth + 2) + String(repeating: "]", count: JSONValue.maxDepth + 2)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func invalidUTF8InStringsIsRejected() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes: [0x22, 0xC3, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes: [0x5B, 0xFF, 0x5D]) }
    }
}

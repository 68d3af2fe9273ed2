// Fuzz target: the service config-file parser (ConfigFile, /etc/fer-cam/<camera>.conf)
// with fer-cam's real key list (ConfigKeys.known). Each input is a file's bytes,
// decoded as `ConfigFile(path:knownKeys:)` decodes them (UTF-8, invalid bytes
// replaced), then parsed.
// Checks: no crash, no hang, every error renders its message; on success every
// entry has a known key, no line break in a key or value (a file is lines),
// ascending line numbers, a valid switch value, `arguments` gives one or two
// arguments per non-switch entry and `entry(forFlag:)` finds each key; and a
// round trip: the entries written back as `key = value` lines (quoted where
// needed) parse to the same keys and values (checked for ASCII values, where
// no grapheme can merge with the quotes we add). It does not run fer-cam's
// argument parser on the values.
import FERCam
import FuzzSupport

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked(seeds)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let known = ConfigKeys.known
    let file: ConfigFile
    do { file = try ConfigFile(path: "<fuzz>", text: text, knownKeys: known) } catch {
        _ = error.description
        return 0
    }
    var previousLine = 0
    for e in file.entries {
        fuzzCheck(known[e.key] != nil, "unknown key \(e.key.debugDescription) accepted")
        fuzzCheck(!e.key.unicodeScalars.contains("\n") && !e.value.unicodeScalars.contains("\n"),
                  "line \(e.line): a line break inside key \(e.key.debugDescription) or value \(e.value.debugDescription)")
        fuzzCheck(e.line > previousLine, "line numbers not ascending: \(e.line) after \(previousLine)")
        previousLine = e.line
        if known[e.key] == true {
            fuzzCheck(["true", "false", "yes", "no"].contains(e.value.lowercased()), "switch \(e.key) has value \(e.value.debugDescription)")
        }
        fuzzCheck(file.entry(forFlag: "--" + e.key) == e, "entry(forFlag: --\(e.key)) does not find line \(e.line)")
    }
    let args = file.arguments(knownKeys: known)
    let expected = file.entries.reduce(0) { n, e in
        n + (known[e.key] == true ? (["true", "yes"].contains(e.value.lowercased()) ? 1 : 0) : 2)
    }
    fuzzCheck(args.count == expected, "arguments has \(args.count) items, expected \(expected)")

    if file.entries.allSatisfy({ $0.value.unicodeScalars.allSatisfy(\.isASCII) }) {
        let written = file.entries.map { "\($0.key) = \(quotedIfNeeded($0.value))" }.joined(separator: "\n")
        let again: ConfigFile
        do { again = try ConfigFile(path: "<written>", text: written, knownKeys: known) } catch {
            fuzzFail("entries written back do not parse: \(error)\n\(written.debugDescription)")
        }
        fuzzCheck(again.entries.map(\.key) == file.entries.map(\.key) && again.entries.map(\.value) == file.entries.map(\.value),
                  "entries changed in a round trip: \(file.entries) → \(again.entries)")
    }
    return 0
}

/// The value as it must be written so the parser reads it back unchanged.
func quotedIfNeeded(_ v: String) -> String {
    let edges = [v.unicodeScalars.first, v.unicodeScalars.last].compactMap { $0 }
    let bare = !v.isEmpty && !edges.contains { $0.properties.isWhitespace } && !(v.first == "\"" && v.last == "\"")
    return bare ? v : "\"" + v + "\""
}

// MARK: - Seeds (the shipped example is added by `scripts/fuzz --make-seeds`)

func seeds() -> [(name: String, bytes: [UInt8])] {
    [
        ("switches-quotes.conf", Array("""
        # a camera with a window and a quoted token
        source = /dev/video0
        show = yes
        equalize = false
        pace = true
        stream = "127.0.0.1:8080"
        stream-token = " secret with spaces "
        model =

        """.utf8)),
        ("stream-lan.conf", Array("stream = 0.0.0.0:8080\nstream-token = change-me\nstream-max-clients = 4\n\t# indented comment\nfps = 15\n".utf8)),
    ]
}

// Reads a fer-cam service configuration (/etc/fer-cam/<camera>.conf) and turns
// it into the same command-line arguments a user would type, so the flags stay
// the one definition of every option. Format: `key = value` lines, `#`
// comments, blank lines; a key is a long flag without its dashes
// ("stream = 127.0.0.1:8080"); `flag = true|false` for switches.
// It does not check values; the argument parser does, and errors name the file.

import Foundation

public struct ConfigFile: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public let path: String
    public let entries: [Entry]

    /// Parses the text; `knownKeys` maps each accepted key to whether it is a switch (no value).
    public init(path: String, text: String, knownKeys: [String: Bool]) throws(ConfigError) {
        self.path = path
        var entries: [Entry] = []
        var seen = Set<String>()
        // Lines end at "\n" or "\r\n" (one Character in Swift, so splitting at "\n" alone
        // would leave a CRLF file as one line).
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (i, raw) in lines.enumerated() {
            let lineNo = i + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw .malformed(path: path, line: lineNo, text: line)
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            guard let isSwitch = knownKeys[key] else {
                throw .unknownKey(path: path, line: lineNo, key: key, known: knownKeys.keys.sorted())
            }
            guard seen.insert(key).inserted else { throw .duplicateKey(path: path, line: lineNo, key: key) }
            if isSwitch, !["true", "false", "yes", "no"].contains(value.lowercased()) {
                throw .badValue(path: path, line: lineNo, key: key, value: value, expected: "true or false")
            }
            entries.append(Entry(key: key, value: value, line: lineNo))
        }
        self.entries = entries
    }

    public init(path: String, knownKeys: [String: Bool]) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path)
        }
        try self.init(path: path, text: String(decoding: data, as: UTF8.self), knownKeys: knownKeys)
    }

    /// The entries as command-line arguments, in file order ("--stream", "127.0.0.1:8080", "--show").
    public func arguments(knownKeys: [String: Bool]) -> [String] {
        entries.flatMap { e -> [String] in
            if knownKeys[e.key] == true {
                return ["true", "yes"].contains(e.value.lowercased()) ? ["--\(e.key)"] : []
            }
            return ["--\(e.key)", e.value]
        }
    }

    /// The entry a flag came from, for error messages ("model" → line 4).
    public func entry(forFlag flag: String) -> Entry? {
        let key = flag.hasPrefix("--") ? String(flag.dropFirst(2)) : flag
        return entries.first { $0.key == key }
    }
}

public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, line: Int, text: String)
    case unknownKey(path: String, line: Int, key: String, known: [String])
    case duplicateKey(path: String, line: Int, key: String)
    case badValue(path: String, line: Int, key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unreadable(let p):
            return "config \(p): cannot be read (does it exist, and may the service user read it?); see systemd/fer-cam.conf.example"
        case .malformed(let p, let l, let t):
            return "config \(p):\(l): expected `key = value`, got \"\(t)\""
        case .unknownKey(let p, let l, let k, let known):
            return "config \(p):\(l): unknown key \"\(k)\"; known keys: \(known.joined(separator: ", "))"
        case .duplicateKey(let p, let l, let k):
            return "config \(p):\(l): key \"\(k)\" is set twice; keep one"
        case .badValue(let p, let l, let k, let v, let e):
            return "config \(p):\(l): key \"\(k)\" has value \"\(v)\"; expected \(e)"
        }
    }
}

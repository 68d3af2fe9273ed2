// The service config becomes command-line arguments; every error names file and line.
import Testing
@testable import FERCam

private let keys: [String: Bool] = ["model": false, "stream": false, "show": true, "fps": false]

@Test func configBecomesArguments() throws {
    let text = """
    # camera in the hall
    model = /usr/local/share/fer-cam/emotion-cnn.safetensors

    stream = "127.0.0.1:8080"
    show = false
    fps=15
    """
    let c = try ConfigFile(path: "/etc/fer-cam/video0.conf", text: text, knownKeys: keys)
    #expect(c.arguments(knownKeys: keys) == ["--model", "/usr/local/share/fer-cam/emotion-cnn.safetensors",
                                             "--stream", "127.0.0.1:8080", "--fps", "15"])
    #expect(c.entry(forFlag: "--fps")?.line == 6)
}

@Test func unknownKeyNamesFileLineAndKey() {
    #expect(throws: ConfigError.unknownKey(path: "a.conf", line: 2, key: "fsp", known: keys.keys.sorted())) {
        try ConfigFile(path: "a.conf", text: "fps = 1\nfsp = 2", knownKeys: keys)
    }
    let message = ConfigError.unknownKey(path: "a.conf", line: 2, key: "fsp", known: ["fps"]).description
    #expect(message.contains("a.conf:2") && message.contains("fsp"))
}

@Test func malformedDuplicateAndBadSwitchAreRefused() {
    #expect(throws: ConfigError.malformed(path: "b.conf", line: 1, text: "stream 127.0.0.1")) {
        try ConfigFile(path: "b.conf", text: "stream 127.0.0.1", knownKeys: keys)
    }
    #expect(throws: ConfigError.duplicateKey(path: "b.conf", line: 2, key: "fps")) {
        try ConfigFile(path: "b.conf", text: "fps = 1\nfps = 2", knownKeys: keys)
    }
    #expect(throws: ConfigError.badValue(path: "b.conf", line: 1, key: "show", value: "maybe", expected: "true or false")) {
        try ConfigFile(path: "b.conf", text: "show = maybe", knownKeys: keys)
    }
}

/// Found by Fuzz/fuzz-config: "\r\n" is one Character, so a CRLF file (edited on
/// Windows) was one line: key "model" got the value "\r\n", the keys after it vanished.
@Test func crlfLinesAreLines() throws {
    let windows = "# x\r\nfps = 15\r\nmodel =\r\n\r\nshow = yes\r\n"
    let c = try ConfigFile(path: "w.conf", text: windows, knownKeys: keys)
    #expect(c.entries == [.init(key: "fps", value: "15", line: 2), .init(key: "model", value: "", line: 3),
                          .init(key: "show", value: "yes", line: 5)])
    let found = try ConfigFile(path: "f.conf", text: "#i\"\nstream-token = \" s \"\nmodel =\r\n", knownKeys: ConfigKeys.known)
    #expect(found.entries.map(\.value) == [" s ", ""])
    #expect(throws: ConfigError.duplicateKey(path: "w.conf", line: 2, key: "fps")) {
        try ConfigFile(path: "w.conf", text: "fps = 1\r\nfps = 2", knownKeys: keys)
    }
}

@Test func missingFileIsUnreadable() {
    #expect(throws: ConfigError.unreadable(path: "/nonexistent/x.conf")) {
        try ConfigFile(path: "/nonexistent/x.conf", knownKeys: keys)
    }
}

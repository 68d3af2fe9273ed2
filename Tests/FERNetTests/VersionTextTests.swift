// --version's text (FERVersion, the model's name and SHA-256) and the default
// model's places for a binary installed by the Debian package (/usr/bin →
// /usr/share/fer-cam). Reads small temporary files only.
import Foundation
import Testing
@testable import FERNet

@Suite struct VersionTextTests {
    @Test func versionIsDottedNumbers() {
        let parts = FERVersion.number.split(separator: ".")
        #expect(parts.count >= 2 && parts.allSatisfy { Int($0) != nil }, "FERVersion.number \(FERVersion.number) is not N.N[.N]")
    }

    @Test func textNamesVersionModelAndChecksum() throws {
        let path = NSTemporaryDirectory() + "fernet-version-\(UUID().uuidString)-emotion-cnn.safetensors"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = VersionText.text(program: "fer-cam", modelPath: path)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "fer-cam \(FERVersion.number)")
        // SHA-256("abc"), FIPS 180-4's first example.
        #expect(lines.last?.contains("sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == true)
        #expect(lines.last?.contains((path as NSString).lastPathComponent) == true)
    }

    @Test func missingModelStillPrintsTheVersion() {
        let text = VersionText.text(program: "fer-train", modelPath: nil, tried: ["/nonexistent/models/emotion-cnn.safetensors"])
        #expect(text.hasPrefix("fer-train \(FERVersion.number)\n"))
        #expect(text.contains("not found (tried /nonexistent/models/emotion-cnn.safetensors)"))
    }

    @Test func onlyTheBareFlagIsAnswered() {
        #expect(!VersionText.printIfAsked(["fer-cam", "--source", "test"], program: "fer-cam"))
        #expect(!VersionText.printIfAsked(["fer-cam", "--version", "x"], program: "fer-cam"))
    }

    @Test func debianInstallFindsTheModelUnderUsrShare() {
        let share = DefaultModelPaths.installedDataDirectory(executable: "/usr/bin/fer-cam")
        #expect(share == "/usr/share/fer-cam")
        #expect(DefaultModelPaths.candidates(packageRoot: nil, installedData: share, currentDirectory: "/")
            == ["/usr/share/fer-cam/models/emotion-cnn.safetensors", "/models/emotion-cnn.safetensors"])
    }
}

@Suite struct CurrentExecutableTests {
    /// A binary started through $PATH has argv[0] "fer-cam"; the data directory must still be PREFIX/share.
    @Test func isAnAbsolutePathThatExists() {
        let exe = DefaultModelPaths.currentExecutable()
        #expect(exe.hasPrefix("/"), "\(exe) is not absolute")
        #expect(FileManager.default.isExecutableFile(atPath: exe))
    }
}

// --config FILE end to end (release binary): the config keys are exactly
// fer-cam's options (from its own --experimental-dump-help, so the list
// cannot drift), the command line wins over the file, and bad configuration
// (unknown key, bad value, missing model, missing file) exits 78 naming the
// file, the line and the key.
import Foundation
import Testing
@testable import FERCam

@Suite struct ServiceConfigTests {
    private func writeConfig(_ text: String) throws -> (dir: String, path: String) {
        let dir = try serviceTempDir()
        let path = dir + "/cam.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    @Test func configKeysAreExactlyTheOptionsOfFerCam() throws {
        let r = try runProcess(try TestPaths.ferCamBinary(), ["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        var options: [String: Bool] = [:]   // long name → is a switch
        for a in arguments {
            let kind = a["kind"] as? String
            guard kind == "option" || kind == "flag" else { continue }
            for n in (a["names"] as? [[String: Any]]) ?? [] where n["kind"] as? String == "long" {
                if let name = n["name"] as? String { options[name] = kind == "flag" }
            }
        }
        for key in ConfigKeys.excluded { options[key] = nil }
        #expect(!options.isEmpty)
        for key in ConfigKeys.fileOnly { #expect(options[key] == nil, "--\(key) must not be a flag (a secret would show in ps)") }
        for (name, isSwitch) in options {
            #expect(ConfigKeys.known[name] != nil, "fer-cam option --\(name) is missing from ConfigKeys.known (add it, or to ConfigKeys.excluded)")
            if let known = ConfigKeys.known[name] { #expect(known == isSwitch, "--\(name): switch \(isSwitch) in fer-cam, \(known) in ConfigKeys") }
        }
        for key in ConfigKeys.known.keys where !ConfigKeys.fileOnly.contains(key) {
            #expect(options[key] != nil, "ConfigKeys.known has \"\(key)\" but fer-cam has no --\(key)")
        }
    }

    @Test func commandLineWinsOverTheFile() throws {
        let (dir, path) = try writeConfig("# test\nframes = 8\nsize = 320x240\nno-pace = true\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = try TestPaths.ferCamBinary()
        let fromFile = try runProcess(binary, ["--config", path, "--source", "test", "--model", TestModel.path, "--log", dir + "/a.jsonl"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stderr.contains("done: 8 frames captured"), "\(fromFile.stderr)")
        #expect(fromFile.stderr.contains("320x240"), "\(fromFile.stderr)")
        let overridden = try runProcess(binary, ["--config", path, "--source", "test", "--frames", "3", "--model", TestModel.path,
                                                 "--log", dir + "/b.jsonl"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(overridden.stderr.contains("done: 3 frames captured"), "\(overridden.stderr)")
    }

    @Test(arguments: [
        ("fps = 30\nbogus = 1\n", "cam.conf:2", "\"bogus\""),
        ("size = 320x240\nfps = fast\n", "cam.conf:2: key \"fps\"", "fast"),
        ("fps = 500\n", "cam.conf:1: key \"fps\"", "1...240"),
        ("model = /nonexistent/model.safetensors\n", "cam.conf:1: key \"model\"", "/nonexistent/model.safetensors"),
        ("show = maybe\n", "cam.conf:1", "\"show\""),
        ("fps 30\n", "cam.conf:1", "key = value"),
    ])
    func badConfigurationExits78NamingFileAndKey(text: String, location: String, detail: String) throws {
        let (dir, path) = try writeConfig(text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runProcess(try TestPaths.ferCamBinary(), ["--config", path, "--source", "test", "--frames", "1"])
        #expect(r.status == 78, "exit \(r.status) for \(text): \(r.stderr)")
        #expect(r.stderr.contains(location), "\(r.stderr)")
        #expect(r.stderr.contains(detail), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 2, "one clear message, not a usage dump: \(r.stderr)")
    }

    @Test func missingConfigFileExits78() throws {
        let r = try runProcess(try TestPaths.ferCamBinary(), ["--config", "/nonexistent/fer-cam/cam.conf", "--source", "test"])
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains("/nonexistent/fer-cam/cam.conf"), "\(r.stderr)")
    }
}

// --config FILE: turns the service's config file into command-line arguments
// before ArgumentParser sees them, so the flags stay the one definition of
// every option. File options come first and are dropped where the command
// line sets the same option (the command line wins). Every entry is checked
// by the real parser on its own, so a bad value is reported as
// `config FILE:LINE: key "fps": …`; a missing model or cascade file likewise.
// Any configuration error exits 78 (systemd then does not restart us).
import ArgumentParser
import FERCam
import Foundation

enum ConfigLoading {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// argv (with the program name first) → the arguments to parse, or exit 78 with the reason.
    static func arguments(_ argv: [String]) -> [String] {
        let args = Array(argv.dropFirst())
        do {
            return try expand(args)
        } catch {
            FileHandle.standardError.write(Data("fer-cam: \(error.description)\n".utf8))
            exit(78)
        }
    }

    /// The config file named by --config (the last one given), if any.
    static func configPath(_ args: [String]) -> String? {
        var path: String?
        var i = 0
        while i < args.count {
            if args[i] == "--" { break }
            if args[i] == "--config", i + 1 < args.count { path = args[i + 1]; i += 1 }
            else if args[i].hasPrefix("--config=") { path = String(args[i].dropFirst("--config=".count)) }
            i += 1
        }
        return path
    }

    static func expand(_ args: [String]) throws(Failure) -> [String] {
        guard let path = configPath(args) else { return args }
        let file = try load(path)
        // Options the command line sets itself (its value wins).
        var given = Set<String>()
        for a in args where a.hasPrefix("--") {
            let key = String(a.dropFirst(2).prefix { $0 != "=" })
            given.insert(key)
            if key == "pace" || key == "no-pace" { given.formUnion(["pace", "no-pace"]) }
        }
        let kept = file.entries.filter { !given.contains($0.key) }
        let fromFile = arguments(of: kept)
        return fromFile + args
    }

    /// Entries as flags, as ConfigFile.arguments does for a whole file.
    static func arguments(of entries: [ConfigFile.Entry]) -> [String] {
        entries.flatMap { e -> [String] in
            if ConfigKeys.fileOnly.contains(e.key) { return [] }   // read from the file itself (MQTTWiring)
            if e.key == "pace" { return ["true", "yes"].contains(e.value.lowercased()) ? ["--pace"] : ["--no-pace"] }
            if ConfigKeys.known[e.key] == true {
                return ["true", "yes"].contains(e.value.lowercased()) ? ["--\(e.key)"] : []
            }
            return ["--\(e.key)", e.value]
        }
    }

    /// Reads and checks a config file: syntax, known keys, each value as the
    /// parser sees it, and that model / cascade files exist.
    static func load(_ path: String) throws(Failure) -> ConfigFile {
        let file: ConfigFile
        do { file = try ConfigFile(path: path, knownKeys: ConfigKeys.known) } catch {
            throw Failure(description: error.description)
        }
        for entry in file.entries where !ConfigKeys.fileOnly.contains(entry.key) {
            let single = arguments(of: [entry])
            do {
                _ = try FerCam.parseAsRoot(single)
            } catch {
                let message = FerCam.message(for: error).replacingOccurrences(of: "\n", with: " ")
                throw Failure(description: "config \(path):\(entry.line): key \"\(entry.key)\": \(message)")
            }
            if ["model", "cascade"].contains(entry.key), !FileManager.default.fileExists(atPath: entry.value) {
                throw Failure(description: "config \(path):\(entry.line): key \"\(entry.key)\": no such file \(entry.value)"
                              + " (install it or fix the path)")
            }
        }
        return file
    }

    /// What a SIGHUP reload found: the line to log, and the new update interval
    /// when it changed (the one setting safe to change while running).
    struct Reload {
        var message: String
        var updateInterval: Double?
        var config: ConfigFile?
    }

    /// SIGHUP: re-reads the file. A changed `update-interval` is applied live
    /// (unless the command line fixed it); other changed keys are named as
    /// needing a restart. A bad file keeps the running configuration.
    static func reload(_ path: String, running: ConfigFile?,
                       commandLine: [String] = CommandLine.arguments) -> Reload {
        let fresh: ConfigFile
        do { fresh = try load(path) } catch {
            return Reload(message: "config reload failed, keeping the running configuration: \(error.description)")
        }
        let old = Dictionary((running?.entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(fresh.entries.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        var changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        if changed.isEmpty { return Reload(message: "config \(path) re-read: valid, unchanged", config: fresh) }
        var parts: [String] = []
        var interval: Double?
        if changed.remove("update-interval") != nil {
            if commandLine.contains("--update-interval") {
                parts.append("update-interval is fixed on the command line, not changed")
            } else {
                interval = new["update-interval"].flatMap(Double.init) ?? EventPolicy().updateInterval
                parts.append("update-interval \(interval!) s applied")
            }
        }
        if !changed.isEmpty {
            parts.append("changed \(changed.sorted().joined(separator: ", ")) take effect after a restart (systemctl restart fer-cam@…)")
        }
        return Reload(message: "config \(path) re-read: valid; " + parts.joined(separator: "; "),
                      updateInterval: interval, config: fresh)
    }
}

// The Debian package (issue #19): `make deb` builds it from this checkout, and
// on this machine, as root, it installs with dpkg -i, runs from the installed
// files alone with /opt/swift hidden (unshare --mount + a tmpfs over it),
// passes systemd-analyze verify and lintian, keeps an edited conffile across an
// upgrade from a lower version (the same binaries repacked, not rebuilt), and
// leaves no file behind after dpkg --purge. Depends: is checked here against every
// NEEDED soname of the binaries and every library they open on demand (dpkg -S); packaging/check-clean-root installs the
// package into a clean debootstrap root (needs the Debian mirror, so not a test).
// It refuses to run when a fer-cam package is already installed (it would
// replace and purge it), and purges what it installed, also on failure.
import Foundation
import Testing

private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

private struct PackageTestError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program (looked up on PATH), stdin from /dev/null; returns (exit code, stdout+stderr).
@discardableResult
private func run(_ args: [String], cwd: String = packageRoot, environment: [String: String]? = nil) throws -> (code: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    if let environment { p.environment = environment }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A plain environment for the installed binaries: no LD_LIBRARY_PATH or toolchain on PATH.
private let systemEnvironment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8", "HOME": "/root"]

/// Runs `args` in a new mount namespace where /opt/swift is an empty tmpfs (when it exists), from /.
private func runWithoutToolchain(_ args: [String]) throws -> (code: Int32, out: String) {
    let hide = FileManager.default.fileExists(atPath: "/opt/swift") ? "mount -t tmpfs fer-cam-test /opt/swift && " : ""
    return try run(["unshare", "--mount", "sh", "-c", "\(hide)cd / && exec \"$@\"", "sh"] + args,
                   cwd: "/", environment: systemEnvironment)
}

/// The package `make deb` builds, once per test process.
private enum BuiltPackage {
    static let path: Result<String, PackageTestError> = {
        do {
            let (code, out) = try run(["make", "deb"])
            let deb = out.split(separator: "\n").last.map(String.init) ?? ""
            guard code == 0, deb.hasSuffix(".deb"), FileManager.default.fileExists(atPath: deb) else {
                return .failure(PackageTestError(description: "`make deb` in \(packageRoot) failed (exit \(code)):\n\(out)"))
            }
            return .success(deb)
        } catch {
            return .failure(PackageTestError(description: "could not run `make deb` in \(packageRoot): \(error)"))
        }
    }()

    static func get() throws -> String { try path.get() }
}

/// Every path (files and directories) under the places the package writes to, sorted.
private func snapshot() throws -> [String] {
    let roots = ["/etc/fer-cam", "/etc/logrotate.d", "/lib/systemd/system", "/usr/bin", "/usr/share/fer-cam",
                 "/usr/share/doc/fer-cam", "/usr/share/man/man1", "/var/log/fer-cam", "/var/log/private"].filter { FileManager.default.fileExists(atPath: $0) }
    let (code, out) = try run(["find"] + roots, cwd: "/")
    guard code == 0 else { throw PackageTestError(description: "find \(roots.joined(separator: " ")) failed:\n\(out)") }
    return out.split(separator: "\n").map(String.init).sorted()
}

private func installedVersion() throws -> String? {
    let (code, out) = try run(["dpkg-query", "-W", "-f=${Status} ${Version}", "fer-cam"])
    guard code == 0, out.hasPrefix("install ok installed ") else { return nil }
    return String(out.dropFirst("install ok installed ".count))
}

private func field(_ deb: String, _ name: String) throws -> String {
    try run(["dpkg-deb", "-f", deb, name]).out.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Refuses to touch a machine where fer-cam is already installed, or when not root.
private func requireCleanRootMachine() throws {
    guard getuid() == 0 else {
        throw PackageTestError(description: "DebianPackageTests install into the real system and need root; run the suite as root (CI does)")
    }
    let (_, status) = try run(["dpkg-query", "-W", "-f=${Status}", "fer-cam"])
    guard !status.contains("installed"), !status.contains("config-files") else {
        throw PackageTestError(description: "a fer-cam package is already on this machine (\(status)); the test would replace and purge it. "
                               + "Remove it first (dpkg --purge fer-cam) and rerun")
    }
}

/// The same package with a lower version: the very same files, only DEBIAN/control's Version changed.
private func repacked(_ deb: String, version: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fer-cam-prev-\(getpid())").path
    try? FileManager.default.removeItem(atPath: dir)
    defer { try? FileManager.default.removeItem(atPath: dir + "/tree") }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var r = try run(["dpkg-deb", "-R", deb, dir + "/tree"])
    guard r.code == 0 else { throw PackageTestError(description: "dpkg-deb -R \(deb) failed:\n\(r.out)") }
    let control = dir + "/tree/DEBIAN/control"
    let text = try String(contentsOfFile: control, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("Version: ") ? "Version: \(version)" : String($0) }
    try lines.joined(separator: "\n").write(toFile: control, atomically: true, encoding: .utf8)
    let out = dir + "/fer-cam_\(version)_prev.deb"
    r = try run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z1", "--build", dir + "/tree", out])
    guard r.code == 0 else { throw PackageTestError(description: "dpkg-deb --build of the previous version failed:\n\(r.out)") }
    return out
}

/// The package that owns a library path (dpkg -S), trying the path, its real path and the
/// pre-usrmerge /lib form that dpkg's database records on Debian 12.
private func packageOwning(_ path: String) throws -> String? {
    let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    for candidate in [path, real, real.replacingOccurrences(of: "/usr/lib/", with: "/lib/")] {
        let r = try run(["dpkg", "-S", candidate])
        if r.code == 0, let first = r.out.split(separator: "\n").first, let name = first.split(separator: ":").first {
            return String(name)
        }
    }
    return nil
}

/// Whether installed package `package` depends on or provides `other` (libopenblas0 → libopenblas0-pthread).
private func dependsOn(_ package: String, _ other: String) throws -> Bool {
    let r = try run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}, ${Provides}", package])
    return r.code == 0 && r.out.split(whereSeparator: { ",|".contains($0) })
        .contains { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) == other }
}

@Suite(.serialized) struct DebianPackageTests {
    @Test func nameAndVersionComeFromOnePlace() throws {
        let deb = try BuiltPackage.get()
        let version = try field(deb, "Version")
        let source = try String(contentsOfFile: packageRoot + "/Sources/FERNet/Release/FERVersion.swift", encoding: .utf8)
        #expect(source.contains("public static let number = \"\(version)\""), "package version \(version) is not FERVersion.number")
        let arch = try run(["dpkg", "--print-architecture"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb == "\(packageRoot)/fer-cam_\(version)_\(arch).deb")
    }

    @Test func lintianFindsNoErrorsOrWarnings() throws {
        let deb = try BuiltPackage.get()
        let (code, out) = try run(["lintian", "--fail-on", "error,warning", deb])
        let tags = out.split(separator: "\n").filter { $0.hasPrefix("E:") || $0.hasPrefix("W:") }
        #expect(code == 0 && tags.isEmpty, "lintian \(deb) (exit \(code)):\n\(out)")
    }

    /// Every shared library the binaries need comes from a package named in Depends: (offline;
    /// packaging/check-clean-root proves the same in a clean debootstrap root, with the mirror).
    @Test func dependsCoversEveryNeededLibrary() throws {
        let deb = try BuiltPackage.get()
        let depends = Set(try field(deb, "Depends").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "" })
        #expect(!depends.isEmpty)
        #expect(!depends.contains { $0.hasPrefix("swift") }, "Depends names a Swift package: \(depends)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fer-cam-x-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let x = try run(["dpkg-deb", "-x", deb, dir])
        try #require(x.code == 0, "dpkg-deb -x failed: \(x.out)")
        for binary in ["fer-cam", "fer-train"] {
            let exe = "\(dir)/usr/bin/\(binary)"
            let dump = try run(["objdump", "-p", exe]).out
            let needed = dump.split(separator: "\n").filter { $0.contains("NEEDED") }.compactMap { $0.split(separator: " ").last.map(String.init) }
            #expect(needed.contains { $0.hasPrefix("libopencv_core") }, "\(binary): no NEEDED entries found:\n\(dump)")
            #expect(!needed.contains { $0.contains("swift") || $0.contains("Foundation") || $0.contains("dispatch") },
                    "\(binary) needs a Swift runtime library: \(needed)")
            // ldd: "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)" or "\t/lib64/ld-linux-x86-64.so.2 (0x…)"
            let ldd = try run(["ldd", exe], environment: systemEnvironment).out
            // The libraries it opens on first use, as `--version` names them; ldconfig finds them.
            let version = try run([exe, "--version"], environment: systemEnvironment).out
            let onDemand = version.split(separator: "\n").first { $0.hasPrefix("loads on demand: ") }
                .map { $0.dropFirst("loads on demand: ".count).split(separator: " ").map(String.init) } ?? []
            #expect(onDemand.contains { $0.hasPrefix("libavformat") }, "\(binary) --version names no library opened on demand:\n\(version)")
            let cache = try run(["/sbin/ldconfig", "-p"], environment: systemEnvironment).out
            for soname in needed + onDemand {
                let listing = needed.contains(soname) ? ldd : cache
                guard let line = listing.split(separator: "\n").first(where: { $0.contains(soname) }) else {
                    Issue.record("\(binary) needs \(soname), which \(needed.contains(soname) ? "ldd" : "ldconfig -p") does not list"); continue
                }
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let path = words.first(where: { $0.hasPrefix("/") }) else {
                    Issue.record("\(binary) needs \(soname), not found on this system: \(line)"); continue
                }
                let owner = try packageOwning(path)
                let covered = try owner.map { o in try depends.contains(o) || depends.contains { try dependsOn($0, o) } } ?? false
                #expect(covered,
                        "\(binary) needs \(soname) (\(path), from package \(owner ?? "none")); Depends: has \(depends.sorted())")
            }
        }
    }

    @Test func installsRunsWithoutToolchainUpgradesAndPurgesClean() throws {
        let deb = try BuiltPackage.get()
        try requireCleanRootMachine()
        let version = try field(deb, "Version")
        defer { if (try? installedVersion()) ?? nil != nil { _ = try? run(["dpkg", "--purge", "fer-cam"]) } }
        let before = try snapshot()

        // 1. A fresh install runs from the installed files alone.
        var r = try run(["dpkg", "-i", deb])
        try #require(r.code == 0, "dpkg -i \(deb) failed:\n\(r.out)")
        #expect(try installedVersion() == version)
        try checkInstalledFilesWork(version: version)

        // 2. Purge leaves nothing behind.
        r = try run(["dpkg", "--purge", "fer-cam"])
        #expect(r.code == 0, "dpkg --purge fer-cam failed:\n\(r.out)")
        try expectNothingLeft(deb: deb, before: before)

        // 3. An upgrade from a lower version keeps an edited conffile.
        let previous = try repacked(deb, version: version + "~prev1")
        defer { try? FileManager.default.removeItem(atPath: (previous as NSString).deletingLastPathComponent) }
        r = try run(["dpkg", "-i", previous])
        try #require(r.code == 0, "dpkg -i \(previous) failed:\n\(r.out)")
        let conf = "/etc/fer-cam/example.conf"
        let edit = "\n# edited by DebianPackageTests: must survive the upgrade\nfps = 15\n"
        let handle = try #require(FileHandle(forWritingAtPath: conf), "\(conf) missing after installing \(previous)")
        handle.seekToEndOfFile(); handle.write(Data(edit.utf8)); handle.closeFile()
        r = try run(["dpkg", "-i", deb])
        #expect(r.code == 0, "upgrade to \(deb) failed:\n\(r.out)")
        #expect(try installedVersion() == version)
        let after = try String(contentsOfFile: conf, encoding: .utf8)
        #expect(after.hasSuffix(edit), "the upgrade replaced the edited \(conf):\n\(after)")
        let conffiles = try run(["dpkg-query", "-W", "-f=${Conffiles}", "fer-cam"]).out
        #expect(conffiles.contains(conf) && conffiles.contains("/etc/logrotate.d/fer-cam"), "conffiles: \(conffiles)")

        r = try run(["dpkg", "--purge", "fer-cam"])
        #expect(r.code == 0, "dpkg --purge fer-cam after the upgrade failed:\n\(r.out)")
        try expectNothingLeft(deb: deb, before: before)
    }

    /// --version, a 30-frame run of the test camera and the unit, with /opt/swift hidden.
    private func checkInstalledFilesWork(version: String) throws {
        let sha = try run(["sha256sum", packageRoot + "/models/emotion-cnn.safetensors"]).out.split(separator: " ").first.map(String.init) ?? "?"
        for program in ["fer-cam", "fer-train"] {
            let r = try runWithoutToolchain([program, "--version"])
            #expect(r.code == 0, "\(program) --version (no /opt/swift) failed:\n\(r.out)")
            #expect(r.out.hasPrefix("\(program) \(version)\n"), "\(program) --version:\n\(r.out)")
            #expect(r.out.contains("model emotion-cnn.safetensors sha256 \(sha) (/usr/share/fer-cam/models/emotion-cnn.safetensors)"),
                    "\(program) --version does not name the installed model and its sha256 \(sha):\n\(r.out)")
        }
        let ldd = try runWithoutToolchain(["ldd", "/usr/bin/fer-cam"])
        #expect(ldd.code == 0 && !ldd.out.contains("not found") && !ldd.out.contains("/opt/swift"), "ldd /usr/bin/fer-cam:\n\(ldd.out)")

        let log = "/tmp/fer-cam-debtest-\(getpid()).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let cam = try runWithoutToolchain(["fer-cam", "--source", "test", "--frames", "30", "--log", log])
        #expect(cam.code == 0, "fer-cam --source test --frames 30 (installed, no /opt/swift) failed:\n\(cam.out)")
        #expect(cam.out.contains("/usr/share/fer-cam/models/emotion-cnn.safetensors")
                && cam.out.contains("/usr/share/fer-cam/cascades/haarcascade_frontalface_default.xml"),
                "fer-cam did not load the installed model and cascade:\n\(cam.out)")
        #expect(FileManager.default.fileExists(atPath: log), "no detection log \(log)")

        // verify checks Documentation=man:fer-cam(1) against the installed page; any output is a complaint.
        let verify = try runWithoutToolchain(["systemd-analyze", "verify", "/lib/systemd/system/fer-cam@.service"])
        #expect(verify.code == 0 && verify.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "systemd-analyze verify /lib/systemd/system/fer-cam@.service (exit \(verify.code)):\n\(verify.out)")
    }

    /// The package's own paths are gone and the places it wrote to list what they listed before.
    private func expectNothingLeft(deb: String, before: [String]) throws {
        #expect(try installedVersion() == nil)
        let listing = try run(["sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -t", "sh", deb]).out
        let own = listing.split(separator: "\n").map { String($0.dropFirst(1)) }   // "./usr/bin/fer-cam" → "/usr/bin/fer-cam"
            .filter { $0.contains("fer-cam") || $0.contains("fer-train") }
        #expect(own.contains("/usr/bin/fer-cam"), "unexpected package listing:\n\(listing)")
        for path in own where FileManager.default.fileExists(atPath: path) {
            Issue.record("\(path) is still there after dpkg --purge fer-cam")
        }
        let after = try snapshot()
        let added = Set(after).subtracting(before), removed = Set(before).subtracting(after)
        #expect(added.isEmpty && removed.isEmpty,
                "dpkg --purge left the system changed: added \(added.sorted()), removed \(removed.sorted())")
    }
}

// Finds the fer-cam binary a benchmark runs: --fer-cam, $FERCAM_BINARY,
// .build/release/fer-cam, then the one beside fer-bench. Lookup only.
import ArgumentParser
import Foundation

enum FerCamBinary {
    static func locate(flag: String?) throws -> String {
        let fm = FileManager.default
        if let flag {
            guard fm.isExecutableFile(atPath: flag) else { throw ValidationError("--fer-cam \(flag): not an executable file") }
            return flag
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fer-cam").path
        let candidates = [ProcessInfo.processInfo.environment["FERCAM_BINARY"], ".build/release/fer-cam", beside].compactMap { $0 }.filter { !$0.isEmpty }
        guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) else {
            throw ValidationError("no fer-cam binary at \(candidates.joined(separator: ", ")): build it (swift build -c release --product fer-cam) or pass --fer-cam PATH")
        }
        return found
    }
}

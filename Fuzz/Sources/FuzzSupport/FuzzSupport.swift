// Helpers shared by the fuzz targets: a broken property aborts the process with
// a message (libFuzzer then saves the input as a crash file), and a target can
// write its seed corpus from real inputs made by the library
// (FUZZ_WRITE_SEEDS=DIR, see `scripts/fuzz --make-seeds`). It fuzzes nothing itself.
import Foundation

/// Reports a broken property and aborts, so libFuzzer records the input as a crash.
public func fuzzFail(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("\n==fuzz property failed== \(file):\(line): \(message())\n".utf8))
    abort()
}

/// `fuzzFail(message)` unless `condition` holds.
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fuzzFail(message(), file: file, line: line) }
}

/// The input as an array (libFuzzer may pass a null pointer for an empty input).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Call from LLVMFuzzerInitialize: when FUZZ_WRITE_SEEDS names a folder, writes
/// each seed (file name, bytes) there and exits 0; otherwise does nothing.
public func writeSeedsIfAsked(_ make: () throws -> [(name: String, bytes: [UInt8])]) {
    guard let folder = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"], !folder.isEmpty else { return }
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in try make() {
            let path = folder + "/" + name
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw SeedError(description: "cannot write \(path); is \(folder) writable?")
            }
            print("wrote \(path) (\(bytes.count) bytes)")
        }
    } catch {
        FileHandle.standardError.write(Data("FUZZ_WRITE_SEEDS=\(folder): \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

struct SeedError: Error, CustomStringConvertible {
    var description: String
}

// Helpers shared by the FERTraining tests: paths into ../shared, temp folders,
// tiny synthetic CSV text. No assertions here.
import Foundation
import FERNet
@testable import FERTraining

enum TestData {
    /// Package root, from this file's location (Tests/FERTrainingTests/TestData.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static var fer2013: String { sharedData.appendingPathComponent("fer2013/fer2013.csv.gz").path }
    static var ferPlus: String { sharedData.appendingPathComponent("ferplus/fer2013new.csv.gz").path }

    /// A fresh empty temp folder.
    static func tempDir(_ tag: String = "fer-train-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One CSV row with a constant image value.
    static func row(label: Int, value: Int, usage: String = "Training", count: Int = 2304) -> String {
        "\(label)," + Array(repeating: String(value), count: count).joined(separator: " ") + ",\(usage)"
    }

    /// The first `perSplit` rows of Training and of PublicTest from the real file, parsed;
    /// fails with a clear message when ../shared is missing.
    static func realRows() throws -> FER2013CSV.Rows {
        guard FileManager.default.fileExists(atPath: fer2013) else {
            throw TestDataMissing(path: fer2013)
        }
        return try FER2013CSV.load(fer2013)
    }
}

struct TestDataMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "test data missing: \(path) (the tests need the shared FER2013 copy at ../shared/data)" }
}

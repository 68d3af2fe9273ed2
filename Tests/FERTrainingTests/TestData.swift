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

    /// The real FER2013 file, parsed; fails with a clear message when ../shared is missing.
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

extension TestData {
    /// A small CNN (about 7 k parameters) that trains fast even in debug builds; with dropout so random state matters.
    static let tinySpec = ModelSpec(name: "tiny", input: [1, 48, 48], layers: [
        .conv2d(name: "conv1", outChannels: 8, kernel: 3, stride: 2, padding: 1),
        .batchNorm(name: "bn1", epsilon: 1e-5, momentum: 0.1), .relu, .maxPool(kernel: 2, stride: 2),
        .conv2d(name: "conv2", outChannels: 16, kernel: 3, stride: 1, padding: 1),
        .batchNorm(name: "bn2", epsilon: 1e-5, momentum: 0.1), .relu, .maxPool(kernel: 2, stride: 2),
        .conv2d(name: "conv3", outChannels: 32, kernel: 3, stride: 1, padding: 1),
        .batchNorm(name: "bn3", epsilon: 1e-5, momentum: 0.1), .relu, .globalAvgPool,
        .dropout(rate: 0.2), .dense(name: "fc", outFeatures: 7),
    ])

    /// The real file's splits, parsed once per test process.
    static let realSplits: Result<SplitDataset, Error> = Result { try realRows().splits(path: fer2013) }
}

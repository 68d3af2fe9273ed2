import Foundation
import Testing
import FERNet
import FERVision
@testable import FERTraining

@Suite struct ImageFolderDatasetTests {
    static func png(_ dir: URL, _ rel: String, width: Int = 48, height: Int = 48, value: UInt8) throws {
        let url = dir.appendingPathComponent(rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ImageCodec.write(GrayImage(width: width, height: height, fill: value), to: url.path)
    }

    @Test func loadsSplitsAndCaseInsensitiveClasses() throws {
        let root = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.png(root, "train/Happy/a.png", value: 10)
        try Self.png(root, "train/happy/b.png", value: 20)
        try Self.png(root, "train/SAD/c.png", width: 96, height: 96, value: 30)   // resized to 48×48
        try Self.png(root, "test/neutral/d.png", value: 40)
        try "not an image".write(to: root.appendingPathComponent("train/README.txt"), atomically: true, encoding: .utf8)

        let splits = try ImageFolderDataset.load(root.path)
        #expect(splits.splitNames == ["test", "train"])
        let train = try splits.split("Training")   // alias of train
        #expect(train.count == 3)
        #expect(train.labels.sorted() == [3, 3, 4])
        for i in 0 ..< 3 {
            let v: UInt8 = train.labels[i] == 4 ? 30 : (train.image(i).first == 10 ? 10 : 20)
            #expect(train.image(i).allSatisfy { $0 == v })
        }
        let test = try splits.split("PublicTest")
        #expect(test.labels == [6] && test.image(0).allSatisfy { $0 == 40 })
        #expect(try DataSource.load(root.path).split("test").count == 1)
    }

    @Test func emptyClassFolderIsAnError() throws {
        let root = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.png(root, "train/happy/a.png", value: 1)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("train/fear"), withIntermediateDirectories: true)
        #expect(throws: DatasetError.emptyClassFolder(path: root.path + "/train/fear")) { try ImageFolderDataset.load(root.path) }
    }

    @Test func unknownClassAndUnreadableImageAreErrors() throws {
        let root = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.png(root, "train/cats/a.png", value: 1)
        #expect(throws: DatasetError.unknownClassFolder(path: root.path + "/train/cats")) { try ImageFolderDataset.load(root.path) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("train/cats"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("train/angry"), withIntermediateDirectories: true)
        try "garbage".write(to: root.appendingPathComponent("train/angry/broken.png"), atomically: true, encoding: .utf8)
        do {
            _ = try ImageFolderDataset.load(root.path)
            Issue.record("no error for a broken image")
        } catch {
            guard case .unreadableImage(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == root.path + "/train/angry/broken.png")
        }
    }
}

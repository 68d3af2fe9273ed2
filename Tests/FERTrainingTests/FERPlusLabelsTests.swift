import Foundation
import Testing
import FERNet
@testable import FERTraining

@Suite struct FERPlusLabelsTests {
    static let header = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF"

    static func rows() throws -> FER2013CSV.Rows {
        let text = ["emotion,pixels,Usage",
                    TestData.row(label: 6, value: 1), TestData.row(label: 2, value: 2), TestData.row(label: 4, value: 3, usage: "PublicTest"),
                    TestData.row(label: 3, value: 4)].joined(separator: "\n")
        return try FER2013CSV.parse(Array(text.utf8), path: "f.csv")
    }

    static func write(_ lines: [String]) throws -> String {
        let url = TestData.tempDir().appendingPathComponent("fer2013new.csv")
        try ([header] + lines).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let votes = [
        "Training,fer0000000.png,6,4,0,0,0,0,0,0,0,0",   // neutral 6, happiness 4
        "Training,,0,0,0,0,0,0,0,0,0,10",                // not a face → dropped
        "PublicTest,fer0000002.png,0,0,0,0,10,0,0,0,0,0", // PublicTest keeps its FER2013 label (sad)
        "Training,fer0000003.png,0,5,0,0,5,0,0,0,0,0",   // tie anger/happiness; FER2013 says happy
    ]

    @Test func softTargetsInFER2013OrderAndDrops() throws {
        let labels = try FERPlusLabels.load(try Self.write(Self.votes))
        let out = try labels.apply(to: try Self.rows(), csvPath: "f.csv", mode: .soft)
        #expect(out.faces.count == 3)
        #expect(out.faces.labels == [6, 4, 3])
        #expect(out.usage.map { out.usageNames[$0] } == ["Training", "PublicTest", "Training"])
        let soft = try #require(out.faces.softTargets)
        #expect(Array(soft[0 ..< 7]) == [0, 0, 0, 0.4, 0, 0, 0.6])
        #expect(Array(soft[7 ..< 14]) == [0, 0, 0, 0, 1, 0, 0])
        #expect(Array(soft[14 ..< 21]) == [0.5, 0, 0, 0.5, 0, 0, 0])
        // Pixels travel with their rows.
        #expect(out.faces.image(2).allSatisfy { $0 == 4 })
    }

    @Test func majorityGivesHardLabels() throws {
        let labels = try FERPlusLabels.load(try Self.write(Self.votes))
        let out = try labels.apply(to: try Self.rows(), csvPath: "f.csv", mode: .majority)
        #expect(out.faces.softTargets == nil)
        #expect(out.faces.labels == [6, 4, 3])
    }

    @Test func misalignedFilesAreRefused() throws {
        let short = try FERPlusLabels.load(try Self.write(Array(Self.votes.prefix(3))))
        #expect(throws: DatasetError.self) { try short.apply(to: try Self.rows(), csvPath: "f.csv", mode: .soft) }
        var swapped = Self.votes
        swapped.swapAt(1, 2)
        let wrongUsage = try FERPlusLabels.load(try Self.write(swapped))
        #expect(throws: DatasetError.self) { try wrongUsage.apply(to: try Self.rows(), csvPath: "f.csv", mode: .soft) }
    }

    @Test func badVoteNamesTheLine() throws {
        let path = try Self.write(["Training,x.png,1,2,3,x,0,0,0,0,0,0"])
        #expect(throws: DatasetError.badLine(path: path, line: 2, reason: "vote count \"x\" in column sadness is not a small integer")) {
            try FERPlusLabels.load(path)
        }
    }

    @Test func realFERPlusFileLinesUpWithFER2013() throws {
        guard FileManager.default.fileExists(atPath: TestData.ferPlus) else { throw TestDataMissing(path: TestData.ferPlus) }
        let labels = try FERPlusLabels.load(TestData.ferPlus)
        #expect(labels.count == 32_298)
        #expect(labels.usage.filter { $0 == "Training" }.count == 28_709)
    }
}

import Foundation
import Testing
import FERNet
@testable import FERTraining

@Suite struct FER2013CSVTests {
    @Test func parsesRowsAndGroupsByUsage() throws {
        let text = ["emotion,pixels,Usage", TestData.row(label: 3, value: 7), TestData.row(label: 0, value: 255, usage: "PublicTest"),
                    TestData.row(label: 6, value: 0)].joined(separator: "\n") + "\n"
        let rows = try FER2013CSV.parse(Array(text.utf8), path: "t.csv")
        #expect(rows.faces.labels == [3, 0, 6])
        #expect(rows.usageNames == ["Training", "PublicTest"])
        #expect(rows.usage == [0, 1, 0])
        #expect(rows.faces.image(1).allSatisfy { $0 == 255 })
        #expect(rows.faces.image(0).allSatisfy { $0 == 7 })
        let splits = rows.splits(path: "t.csv")
        #expect(try splits.split("Training").labels == [3, 6])
        #expect(try splits.split("test").labels == [0])
        #expect(throws: DatasetError.self) { try splits.split("PrivateTest") }
    }

    @Test func keepsPixelOrderAndHandlesCRLFAndQuotes() throws {
        let px = (0 ..< 2304).map { String($0 % 256) }.joined(separator: " ")
        let text = "emotion,pixels,Usage\r\n5,\"\(px)\",Training\r\n"
        let rows = try FER2013CSV.parse(Array(text.utf8), path: "t.csv")
        #expect(Array(rows.faces.image(0)) == (0 ..< 2304).map { UInt8($0 % 256) })
        #expect(rows.faces.labels == [5])
    }

    @Test func readsGzip() throws {
        let dir = TestData.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("small.csv")
        let text = ["emotion,pixels,Usage", TestData.row(label: 2, value: 9), TestData.row(label: 4, value: 10, usage: "PublicTest")].joined(separator: "\n") + "\n"
        try text.write(to: plain, atomically: true, encoding: .utf8)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", plain.path]
        try gz.run(); gz.waitUntilExit()
        #expect(gz.terminationStatus == 0)
        let rows = try FER2013CSV.load(plain.path + ".gz")
        #expect(rows.faces.labels == [2, 4])
        #expect(rows.faces.image(1).allSatisfy { $0 == 10 })
    }

    @Test func wrongPixelCountNamesTheLine() throws {
        let text = ["emotion,pixels,Usage", TestData.row(label: 1, value: 3), TestData.row(label: 1, value: 3, count: 2303)].joined(separator: "\n")
        #expect(throws: DatasetError.badLine(path: "x.csv", line: 3, reason: "has 2303 pixel values, expected 2304 (48×48)")) {
            try FER2013CSV.parse(Array(text.utf8), path: "x.csv")
        }
    }

    @Test func labelOutOfRangeNamesTheLine() throws {
        let text = ["emotion,pixels,Usage", TestData.row(label: 1, value: 3), TestData.row(label: 2, value: 3), TestData.row(label: 7, value: 3)].joined(separator: "\n")
        do {
            _ = try FER2013CSV.parse(Array(text.utf8), path: "x.csv")
            Issue.record("no error for label 7")
        } catch {
            guard case .badLine(let p, let line, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == "x.csv" && line == 4)
            #expect(reason.contains("\"7\""))
            #expect(error.description.hasPrefix("x.csv:4:"))
        }
    }

    @Test func pixelOutOfRangeAndGarbageAreErrors() throws {
        var px = Array(repeating: "1", count: 2304); px[10] = "256"
        let bad = "emotion,pixels,Usage\n0," + px.joined(separator: " ") + ",Training\n"
        #expect(throws: DatasetError.badLine(path: "x.csv", line: 2, reason: "pixel 11 is 256, outside 0…255")) {
            try FER2013CSV.parse(Array(bad.utf8), path: "x.csv")
        }
        px[10] = "1x"
        let garbage = "emotion,pixels,Usage\n0," + px.joined(separator: " ") + ",Training\n"
        #expect(throws: DatasetError.self) { try FER2013CSV.parse(Array(garbage.utf8), path: "x.csv") }
        let fields = "emotion,pixels,Usage\n0,1 2 3\n"
        #expect(throws: DatasetError.badLine(path: "x.csv", line: 2, reason: "has 2 fields, the header has 3")) {
            try FER2013CSV.parse(Array(fields.utf8), path: "x.csv")
        }
    }

    @Test func badHeaderAndMissingFile() {
        #expect(throws: DatasetError.self) { try FER2013CSV.parse(Array("a,b,c\n".utf8), path: "h.csv") }
        #expect(throws: DatasetError.missing(path: "/nonexistent/fer.csv")) { try FER2013CSV.load("/nonexistent/fer.csv") }
    }

    /// Found by Fuzz/fuzz-csv: a header with no newline after it (the whole file) trapped
    /// ("Range requires lowerBound <= upperBound") instead of reporting no data rows.
    @Test func headerWithoutNewlineIsAnErrorNotATrap() {
        let crash: [UInt8] = Array("pixels,emotion,Usagage".utf8) + [0xEB, 0x31, 0xFF, 0xFF, 0xFF, 0xFF, 0x65, 0x73]
        for bytes in [crash, Array("emotion,pixels".utf8), Array("emotion,pixels,Usage\r".utf8)] {
            #expect(throws: DatasetError.badLine(path: "h.csv", line: 2, reason: "no data rows after the header")) {
                try FER2013CSV.parse(bytes, path: "h.csv")
            }
        }
    }

    @Test func withoutUsageColumnEverythingIsOneSplit() throws {
        let text = "pixels,emotion\n" + Array(repeating: "4", count: 2304).joined(separator: " ") + ",6\n"
        let rows = try FER2013CSV.parse(Array(text.utf8), path: "t.csv")
        #expect(rows.usageNames == ["all"])
        #expect(rows.faces.labels == [6])
    }

    @Test func realFileHasTheDocumentedCounts() throws {
        let splits = try TestData.realSplits.get()
        let train = try splits.split("Training"), test = try splits.split("PublicTest")
        #expect(train.count == 28_709)
        #expect(test.count == 3_589)
        #expect(train.classCounts() == [3995, 436, 4097, 7215, 4830, 3171, 4965])
        #expect(test.classCounts() == [467, 56, 496, 895, 653, 415, 607])
    }
}

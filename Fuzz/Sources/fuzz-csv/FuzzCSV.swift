// Fuzz target: the FER2013 CSV reader (FER2013CSV.parse, what FER2013CSV.load
// calls after reading and un-gzipping the file). Each input is a file's bytes.
// Checks: no crash, no hang, every error renders its message; on success the
// rows are consistent (one label 0…6, one Usage and 48×48 pixels per row;
// `splits` partitions the rows) and a round trip: the rows written back as
// `emotion,pixels,Usage` CSV parse to the same labels, pixels and Usage names.
// It does not test gzip (DatasetFile) or augmentation.
import FERNet
import FERTraining
import FuzzSupport

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked(seeds)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let rows: FER2013CSV.Rows
    do { rows = try FER2013CSV.parse(fuzzBytes(data, size), path: "fuzz/train.csv") } catch {
        _ = error.description
        return 0
    }
    let n = rows.faces.count
    fuzzCheck(n > 0 && rows.usage.count == n && rows.faces.pixels.count == n * FaceDataset.pixelCount,
              "\(n) rows, \(rows.usage.count) usages, \(rows.faces.pixels.count) pixels")
    fuzzCheck(rows.faces.labels.allSatisfy { $0 <= 6 }, "a label outside 0…6: \(rows.faces.labels)")
    fuzzCheck(rows.usage.allSatisfy { rows.usageNames.indices.contains($0) }, "a Usage index outside \(rows.usageNames)")
    let splits = rows.splits(path: "fuzz/train.csv")
    fuzzCheck(splits.splits.reduce(0) { $0 + $1.data.count } == n, "the splits do not add up to \(n) rows")

    var csv = "emotion,pixels,Usage\n"
    for i in 0..<n {
        let pixels = rows.faces.image(i).map(String.init).joined(separator: " ")
        csv += "\(rows.faces.labels[i]),\"\(pixels)\",\"\(rows.usageNames[rows.usage[i]])\"\n"
    }
    let again: FER2013CSV.Rows
    do { again = try FER2013CSV.parse(Array(csv.utf8), path: "fuzz/written.csv") } catch {
        fuzzFail("rows written back do not parse: \(error)")
    }
    fuzzCheck(again.faces.labels == rows.faces.labels && again.faces.pixels == rows.faces.pixels,
              "labels or pixels changed in a round trip")
    fuzzCheck(again.usage.map { again.usageNames[$0] } == rows.usage.map { rows.usageNames[$0] },
              "Usage names changed in a round trip: \(rows.usageNames) → \(again.usageNames)")
    return 0
}

// MARK: - Seeds: a few real-shaped lines (one full row; small broken ones)

func seeds() -> [(name: String, bytes: [UInt8])] {
    let pixels = (0..<FaceDataset.pixelCount).map { String(($0 * 7) % 10) }.joined(separator: " ")
    return [
        ("one-row.csv", Array("emotion,pixels,Usage\n3,\(pixels),Training\n".utf8)),
        ("quoted-crlf-bom.csv", Array("\u{FEFF}\"Usage\",\"emotion\",\"pixels\"\r\n\"PublicTest\",\"6\",\"0 255 17\"\r\n".utf8)),
        ("bad-pixel.csv", Array("emotion,pixels\n1,12 300 7\n\n".utf8)),
        ("bad-label.csv", Array("pixels,emotion,Usage\n1 2,9,PrivateTest\n".utf8)),
    ]
}

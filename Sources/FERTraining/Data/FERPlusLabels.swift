// FER+ crowd labels (fer2013new.csv, row-aligned with the FER2013 CSV): parses
// the ten vote counts per row and turns them into soft targets or majority
// labels for chosen Usage groups. Column order differs from FER2013's and is
// mapped here; contempt, unknown and not-a-face votes are not emotions of ours.
import FERNet
import Foundation

public enum FERPlusMode: String, Sendable, CaseIterable, Codable {
    /// Targets are the normalized votes over the 7 emotions.
    case soft
    /// Hard label = the most-voted of the 7 emotions.
    case majority
}

public struct FERPlusLabels: Sendable {
    /// FER+ vote columns in FER2013 label order: anger, disgust, fear, happiness, sadness, surprise, neutral.
    static let emotionColumns = ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]

    public var path: String
    /// (N, 7) votes in FER2013 label order.
    public var votes: [UInt8]
    /// (N) votes for contempt + unknown + not-a-face.
    public var otherVotes: [UInt8]
    /// (N) Usage per row.
    public var usage: [String]

    public var count: Int { usage.count }

    public static func load(_ path: String) throws(DatasetError) -> FERPlusLabels {
        let bytes = try DatasetFile.read(path)
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw .badHeader(path: path, found: "", expected: "Usage,Image name,neutral,…,NF") }
        let cols = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")).lowercased() }
        guard let usageCol = cols.firstIndex(of: "usage") else {
            throw .badHeader(path: path, found: String(header), expected: "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF")
        }
        var emotionIdx: [Int] = []
        for name in emotionColumns {
            guard let i = cols.firstIndex(of: name) else {
                throw .badHeader(path: path, found: String(header), expected: "a \(name) column (FER+ fer2013new.csv)")
            }
            emotionIdx.append(i)
        }
        let otherIdx = ["contempt", "unknown", "nf"].compactMap { cols.firstIndex(of: $0) }

        var votes = [UInt8](); votes.reserveCapacity(lines.count * 7)
        var other = [UInt8](); other.reserveCapacity(lines.count)
        var usage = [String](); usage.reserveCapacity(lines.count)
        for (k, line) in lines.enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == cols.count else {
                throw .badLine(path: path, line: k + 1, reason: "has \(f.count) fields, the header has \(cols.count)")
            }
            func count(_ i: Int) throws(DatasetError) -> UInt8 {
                guard let v = UInt8(f[i].trimmingCharacters(in: .whitespaces)), v <= 100 else {
                    throw .badLine(path: path, line: k + 1, reason: "vote count \"\(f[i])\" in column \(cols[i]) is not a small integer")
                }
                return v
            }
            for i in emotionIdx { votes.append(try count(i)) }
            var o = 0
            for i in otherIdx { o += Int(try count(i)) }
            other.append(UInt8(min(o, 255)))
            usage.append(String(f[usageCol]))
        }
        return FERPlusLabels(path: path, votes: votes, otherVotes: other, usage: usage)
    }

    /// Replaces the labels of rows whose Usage is in `usages` with FER+ labels.
    /// Rows there whose emotion votes are fewer than half of all votes (mostly
    /// not-a-face, unknown or contempt) are dropped. Other rows keep their
    /// FER2013 label (as a one-hot target in soft mode).
    public func apply(to rows: FER2013CSV.Rows, csvPath: String, mode: FERPlusMode, usages: Set<String> = ["Training"]) throws(DatasetError) -> FER2013CSV.Rows {
        guard count == rows.faces.count else {
            throw .labelsMismatch(path: path, reason: "has \(count) rows, \(csvPath) has \(rows.faces.count)")
        }
        let wanted = Set(usages.map { $0.lowercased() })
        var keep: [Int] = []
        var labels = rows.faces.labels
        var soft = [Float](repeating: 0, count: rows.faces.count * Emotion.count)  // (N, 7)
        for i in 0 ..< count {
            let u = rows.usageNames[rows.usage[i]]
            guard u == usage[i] else {
                throw .labelsMismatch(path: path, reason: "row \(i + 1) has Usage \(usage[i]), \(csvPath) row \(i + 1) has \(u)")
            }
            let base = i * Emotion.count
            if !wanted.contains(u.lowercased()) {
                soft[base + Int(labels[i])] = 1
                keep.append(i)
                continue
            }
            let v = votes[base ..< base + Emotion.count].map(Int.init)
            let total = v.reduce(0, +)
            guard total > 0, total * 2 >= total + Int(otherVotes[i]) else { continue }
            let top = v.max()!
            // Ties go to the FER2013 label when it is among them, else to the lowest index.
            let original = Int(labels[i])
            let label = v[original] == top ? original : v.firstIndex(of: top)!
            labels[i] = UInt8(label)
            switch mode {
            case .soft: for c in 0 ..< Emotion.count { soft[base + c] = Float(v[c]) / Float(total) }
            case .majority: soft[base + label] = 1
            }
            keep.append(i)
        }
        var faces = FaceDataset(source: rows.faces.source + "+FER+", pixels: rows.faces.pixels, labels: labels,
                                softTargets: mode == .soft ? soft : nil)
        faces = faces.subset(keep)
        return FER2013CSV.Rows(faces: faces, usage: keep.map { rows.usage[$0] }, usageNames: rows.usageNames)
    }
}

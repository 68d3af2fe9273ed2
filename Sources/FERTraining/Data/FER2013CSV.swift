// Parses the FER2013 CSV (`emotion,pixels,Usage`, plain or .gz) into raw 48×48
// faces grouped by the Usage column. Byte-level and single pass over each line;
// the whole 271 MB file parses in about a second. It does not normalize or
// augment, and it knows nothing about FER+ (see FERPlusLabels).
import FERNet
import Foundation

public enum FER2013CSV {
    /// Every data row in file order, with its Usage.
    public struct Rows: Sendable {
        /// All faces in file order.
        public var faces: FaceDataset
        /// (N) index into `usageNames` per row.
        public var usage: [Int]
        /// Distinct Usage values in order of first appearance ("Training", "PublicTest"); ["all"] without a Usage column.
        public var usageNames: [String]

        /// The rows grouped by Usage, each group in file order.
        public func splits(path: String) -> SplitDataset {
            var groups = [[Int]](repeating: [], count: usageNames.count)
            for (i, u) in usage.enumerated() { groups[u].append(i) }
            let file = path.split(separator: "/").last.map(String.init) ?? path
            return SplitDataset(path: path, splits: usageNames.indices.map { k in
                (usageNames[k], faces.subset(groups[k], source: "\(file):\(usageNames[k])"))
            })
        }
    }

    /// Loads and parses a FER2013 CSV file (gzip detected by content).
    public static func load(_ path: String) throws(DatasetError) -> Rows {
        let bytes = try DatasetFile.read(path)
        return try parse(bytes, path: path)
    }

    /// Parses CSV text. Columns are found by name in the header (`emotion`,
    /// `pixels`, optional `Usage`, any case, any order). Errors name the line.
    public static func parse(_ bytes: [UInt8], path: String) throws(DatasetError) -> Rows {
        var result: Rows?
        var failure: DatasetError?
        bytes.withUnsafeBufferPointer { buf in
            do throws(DatasetError) { result = try parse(buf, path: path) } catch { failure = error }
        }
        if let failure { throw failure }
        return result!
    }

    private static let newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ","), space = UInt8(ascii: " ")
    private static let cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\""), zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    private static func parse(_ buf: UnsafeBufferPointer<UInt8>, path: String) throws(DatasetError) -> Rows {
        let n = buf.count
        var pos = 0
        // Skip a UTF-8 byte-order mark.
        if n >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { pos = 3 }

        // Header.
        let headerEnd = lineEnd(buf, from: pos)
        let headerText = String(decoding: UnsafeBufferPointer(rebasing: buf[pos ..< trimmedEnd(buf, pos, headerEnd)]), as: UTF8.self)
        let columns = headerText.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")).lowercased() }
        guard let emotionCol = columns.firstIndex(of: "emotion"), let pixelsCol = columns.firstIndex(of: "pixels") else {
            throw .badHeader(path: path, found: headerText, expected: "emotion,pixels[,Usage]")
        }
        let usageCol = columns.firstIndex(of: "usage")
        let columnCount = columns.count
        pos = min(headerEnd + 1, n)  // a header without a newline ends the file

        // Upper bound on rows: the number of newlines left (+1 for a last line without one).
        var rowsBound = 1
        for i in pos ..< n where buf[i] == newline { rowsBound += 1 }
        var pixels = [UInt8](repeating: 0, count: rowsBound * FaceDataset.pixelCount)  // (rows, 48, 48)
        var labels = [UInt8](); labels.reserveCapacity(rowsBound)
        var usage = [Int](); usage.reserveCapacity(rowsBound)
        var usageNames: [String] = usageCol == nil ? ["all"] : []
        var usageIndex: [[UInt8]: Int] = [:]

        var lineNumber = 1
        var fieldStart = [Int](repeating: 0, count: columnCount)
        var fieldEnd = [Int](repeating: 0, count: columnCount)
        var failure: DatasetError?
        pixels.withUnsafeMutableBufferPointer { out in
            while pos < n {
                lineNumber += 1
                let end = lineEnd(buf, from: pos)
                let stop = trimmedEnd(buf, pos, end)
                defer { pos = end + 1 }
                if stop == pos { continue }  // blank line

                // Split into fields (the pixel field holds no commas).
                var f = 0, start = pos
                var i = pos
                while i < stop {
                    if buf[i] == comma {
                        if f < columnCount { fieldStart[f] = start; fieldEnd[f] = i }
                        f += 1; start = i + 1
                    }
                    i += 1
                }
                if f < columnCount { fieldStart[f] = start; fieldEnd[f] = stop }
                f += 1
                guard f == columnCount else {
                    failure = .badLine(path: path, line: lineNumber, reason: "has \(f) fields, the header has \(columnCount)"); return
                }

                // Label.
                var (ls, le) = unquote(buf, fieldStart[emotionCol], fieldEnd[emotionCol])
                while ls < le, buf[ls] == space { ls += 1 }
                while le > ls, buf[le - 1] == space { le -= 1 }
                guard le - ls == 1, buf[ls] >= zero, buf[ls] <= zero + 6 else {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: buf[ls ..< le]), as: UTF8.self)
                    failure = .badLine(path: path, line: lineNumber, reason: "emotion label \"\(text)\" is not an integer 0…6"); return
                }
                let row = labels.count
                labels.append(buf[ls] - zero)

                // Pixels.
                let (ps, pe) = unquote(buf, fieldStart[pixelsCol], fieldEnd[pixelsCol])
                let dst = out.baseAddress! + row * FaceDataset.pixelCount
                var count = 0, value = 0, digits = 0
                var j = ps
                while j <= pe {
                    let c: UInt8 = j < pe ? buf[j] : space
                    if c >= zero && c <= nine {
                        value = value * 10 + Int(c - zero); digits += 1
                        if value > 255 {
                            while j + 1 < pe, buf[j + 1] >= zero, buf[j + 1] <= nine { j += 1; value = value * 10 + Int(buf[j] - zero); if value > 1_000_000 { break } }
                            failure = .badLine(path: path, line: lineNumber, reason: "pixel \(count + 1) is \(value), outside 0…255"); return
                        }
                    } else if c == space {
                        if digits > 0 {
                            if count < FaceDataset.pixelCount { dst[count] = UInt8(value) }
                            count += 1; value = 0; digits = 0
                        }
                    } else {
                        failure = .badLine(path: path, line: lineNumber, reason: "pixel \(count + 1) has the character \"\(Character(Unicode.Scalar(c)))\"; pixels must be integers separated by spaces"); return
                    }
                    j += 1
                }
                guard count == FaceDataset.pixelCount else {
                    failure = .badLine(path: path, line: lineNumber, reason: "has \(count) pixel values, expected 2304 (48×48)"); return
                }

                // Usage.
                if let uc = usageCol {
                    let (us, ue) = unquote(buf, fieldStart[uc], fieldEnd[uc])
                    let key = Array(buf[us ..< ue])
                    if let k = usageIndex[key] { usage.append(k) } else {
                        let name = String(decoding: key, as: UTF8.self)
                        guard !name.isEmpty else {
                            failure = .badLine(path: path, line: lineNumber, reason: "Usage is empty (expected Training, PublicTest or PrivateTest)"); return
                        }
                        usageIndex[key] = usageNames.count; usage.append(usageNames.count); usageNames.append(name)
                    }
                } else {
                    usage.append(0)
                }
            }
        }
        if let failure { throw failure }
        guard !labels.isEmpty else { throw .badLine(path: path, line: 2, reason: "no data rows after the header") }
        pixels.removeSubrange((labels.count * FaceDataset.pixelCount)...)
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return Rows(faces: FaceDataset(source: file, pixels: pixels, labels: labels), usage: usage, usageNames: usageNames)
    }

    /// Index of the next "\n" at or after `from`, or the buffer's end.
    @inline(__always)
    private static func lineEnd(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var i = from
        while i < buf.count, buf[i] != newline { i += 1 }
        return i
    }

    /// `end` moved back over a trailing "\r".
    @inline(__always)
    private static func trimmedEnd(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        end > start && buf[end - 1] == cr ? end - 1 : end
    }

    /// A field's bounds without surrounding double quotes.
    @inline(__always)
    private static func unquote(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Int) {
        e - s >= 2 && buf[s] == quote && buf[e - 1] == quote ? (s + 1, e - 1) : (s, e)
    }
}

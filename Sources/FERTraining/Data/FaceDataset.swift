// A set of labelled 48×48 gray faces kept as raw bytes (2.3 KB per face), with
// optional soft targets (FER+ vote distributions). Plain storage: no
// normalization, no augmentation, no file formats here.
import FERNet
import FERVision

public struct FaceDataset: Sendable, Equatable {
    public static let side = FacePreprocessor.fer2013Side
    public static let pixelCount = side * side

    /// Where the faces came from ("fer2013.csv.gz:Training"), for messages.
    public var source: String
    /// (N, 48, 48) row-major 8-bit gray.
    public var pixels: [UInt8]
    /// (N) labels 0…6 in FER2013 order (the majority label when soft targets exist).
    public var labels: [UInt8]
    /// (N, 7) per-face class distributions summing to 1, or nil for hard labels.
    public var softTargets: [Float]?

    public init(source: String, pixels: [UInt8], labels: [UInt8], softTargets: [Float]? = nil) {
        precondition(pixels.count == labels.count * Self.pixelCount, "\(source): \(pixels.count) bytes for \(labels.count) faces")
        precondition(softTargets == nil || softTargets!.count == labels.count * Emotion.count)
        self.source = source
        self.pixels = pixels
        self.labels = labels
        self.softTargets = softTargets
    }

    public var count: Int { labels.count }

    /// Face i's 2304 bytes, (48, 48).
    public func image(_ i: Int) -> ArraySlice<UInt8> {
        pixels[i * Self.pixelCount ..< (i + 1) * Self.pixelCount]
    }

    /// Number of faces per class, (7).
    public func classCounts() -> [Int] {
        var c = [Int](repeating: 0, count: Emotion.count)
        for l in labels { c[Int(l)] += 1 }
        return c
    }

    /// The faces at the given indices, in that order.
    public func subset(_ indices: [Int], source: String? = nil) -> FaceDataset {
        var px = [UInt8](); px.reserveCapacity(indices.count * Self.pixelCount)
        var lb = [UInt8](); lb.reserveCapacity(indices.count)
        var soft: [Float]? = softTargets == nil ? nil : []
        for i in indices {
            px.append(contentsOf: image(i))
            lb.append(labels[i])
            if let s = softTargets { soft!.append(contentsOf: s[i * Emotion.count ..< (i + 1) * Emotion.count]) }
        }
        return FaceDataset(source: source ?? self.source, pixels: px, labels: lb, softTargets: soft)
    }
}

/// Named splits of one data source ("Training", "PublicTest"; or "train", "test"
/// for an image-folder tree), in file order.
public struct SplitDataset: Sendable {
    public var path: String
    public var splits: [(name: String, data: FaceDataset)]

    public init(path: String, splits: [(name: String, data: FaceDataset)]) {
        self.path = path
        self.splits = splits
    }

    public var splitNames: [String] { splits.map(\.name) }

    /// The split with that name, case-insensitive; "train"/"training" and
    /// "test"/"publictest"/"val" are treated as aliases of each other.
    public func split(_ name: String) throws(DatasetError) -> FaceDataset {
        let wanted = Self.canonical(name)
        if let hit = splits.first(where: { $0.name.lowercased() == name.lowercased() }) { return hit.data }
        if let hit = splits.first(where: { Self.canonical($0.name) == wanted }) { return hit.data }
        throw .noSplit(path: path, wanted: name, available: splitNames)
    }

    /// Whether a split of that name (or alias) exists.
    public func has(_ name: String) -> Bool { (try? split(name)) != nil }

    static func canonical(_ name: String) -> String {
        switch name.lowercased() {
        case "train", "training": return "training"
        case "test", "publictest", "val", "valid", "validation": return "publictest"
        default: return name.lowercased()
        }
    }
}

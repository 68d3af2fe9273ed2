// Opens whatever --data names: a FER2013 CSV (plain or .gz), optionally with
// FER+ labels for its training rows, or an image-folder tree. Returns named
// splits. Dispatch only; the formats live in their own files.

public enum DataSource {
    /// - Parameters:
    ///   - path: CSV file or image-folder root.
    ///   - ferPlus: FER+ fer2013new.csv(.gz), CSV data only.
    ///   - ferPlusMode: how FER+ votes become targets.
    public static func load(_ path: String, ferPlus: String? = nil, ferPlusMode: FERPlusMode = .soft) throws(DatasetError) -> SplitDataset {
        if ImageFolderDataset.isFolder(path) {
            if let ferPlus { throw .labelsMismatch(path: ferPlus, reason: "FER+ labels only go with the FER2013 CSV, not an image folder") }
            return try ImageFolderDataset.load(path)
        }
        var rows = try FER2013CSV.load(path)
        if let ferPlus {
            let labels = try FERPlusLabels.load(ferPlus)
            rows = try labels.apply(to: rows, csvPath: path, mode: ferPlusMode)
        }
        return rows.splits(path: path)
    }
}

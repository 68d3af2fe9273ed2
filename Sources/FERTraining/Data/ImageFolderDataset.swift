// Loads the image-folder layout `ROOT/<split>/<class>/*.png|jpg` (class folder
// names are emotion names, any case; split folders such as train/ and test/)
// into 48×48 8-bit faces. Images of another size are resized whole through
// FacePreprocessor.face, the daemon's crop-and-resize. No augmentation here.
import FERNet
import FERVision
import Foundation

public enum ImageFolderDataset {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp"]

    /// True when `path` is a folder (the image-folder layout) rather than a CSV file.
    public static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Every split folder under `root` that holds class folders, in name order.
    public static func load(_ root: String) throws(DatasetError) -> SplitDataset {
        guard isFolder(root) else { throw .missing(path: root) }
        let splitNames = try subfolders(root)
        var splits: [(String, FaceDataset)] = []
        for name in splitNames {
            let dir = root + "/" + name
            let classes = try subfolders(dir)
            guard !classes.isEmpty else { continue }
            splits.append((name, try loadSplit(dir, name: name)))
        }
        guard !splits.isEmpty else {
            throw .unreadable(path: root, reason: "no split folders (expected \(root)/train/<class>/*.png and \(root)/test/<class>/*.png)")
        }
        return SplitDataset(path: root, splits: splits)
    }

    /// One split folder: `dir/<class>/*.png|jpg`.
    public static func loadSplit(_ dir: String, name: String) throws(DatasetError) -> FaceDataset {
        // Whole-image crop, no equalization: the normalization itself happens later, per batch.
        let cropper = FacePreprocessor(normalization: InputNormalization(), margin: 0, equalize: false)
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for folder in try subfolders(dir) {
            let classDir = dir + "/" + folder
            guard let emotion = Emotion(name: folder) else { throw .unknownClassFolder(path: classDir) }
            let files = try entries(classDir).filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            guard !files.isEmpty else { throw .emptyClassFolder(path: classDir) }
            for file in files {
                let path = classDir + "/" + file
                let gray: GrayImage
                do { gray = try ImageCodec.decodeGray(path: path) } catch {
                    throw .unreadableImage(path: path, reason: "\(error)")
                }
                if gray.width == FaceDataset.side && gray.height == FaceDataset.side {
                    pixels.append(contentsOf: gray.pixels)
                } else {
                    pixels.append(contentsOf: cropper.face(gray: gray, box: Box(x: 0, y: 0, width: gray.width, height: gray.height)))
                }
                labels.append(UInt8(emotion.rawValue))
            }
        }
        let rootName = (dir as NSString).deletingLastPathComponent.split(separator: "/").last.map(String.init) ?? dir
        return FaceDataset(source: "\(rootName)/\(name)", pixels: pixels, labels: labels)
    }

    private static func entries(_ dir: String) throws(DatasetError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted() } catch {
            throw .unreadable(path: dir, reason: error.localizedDescription)
        }
    }

    private static func subfolders(_ dir: String) throws(DatasetError) -> [String] {
        try entries(dir).filter { isFolder(dir + "/" + $0) }
    }
}

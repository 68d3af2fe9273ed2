// Typed errors of dataset loading: each says what went wrong, where (file,
// line, folder) and how to fix it. No loading logic here.
import FERNet

public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case badHeader(path: String, found: String, expected: String)
    case badLine(path: String, line: Int, reason: String)
    case emptyClassFolder(path: String)
    case unknownClassFolder(path: String)
    case unreadableImage(path: String, reason: String)
    case noSplit(path: String, wanted: String, available: [String])
    case labelsMismatch(path: String, reason: String)
    case badTeacher(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let p):
            return "\(p): no such file or folder (check the path; the FER2013 CSV is ../shared/data/fer2013/fer2013.csv.gz)"
        case .unreadable(let p, let r):
            return "\(p): cannot read: \(r)"
        case .badHeader(let p, let f, let e):
            return "\(p):1: header is \"\(f)\", expected columns \(e) (is this a FER2013 CSV?)"
        case .badLine(let p, let l, let r):
            return "\(p):\(l): \(r) (fix or delete that line)"
        case .emptyClassFolder(let p):
            return "\(p): class folder holds no .png/.jpg images (add images or remove the folder)"
        case .unknownClassFolder(let p):
            return "\(p): folder name is not an emotion; class folders must be named one of \(Emotion.names.joined(separator: ", ")) (any case)"
        case .unreadableImage(let p, let r):
            return "\(p): cannot decode image: \(r) (delete or replace the file)"
        case .noSplit(let p, let w, let a):
            return "\(p): no split \"\(w)\"; it has \(a.isEmpty ? "none" : a.joined(separator: ", "))"
        case .labelsMismatch(let p, let r):
            return "\(p): \(r) (FER+ labels must be fer2013new.csv, row-aligned with the FER2013 CSV)"
        case .badTeacher(let p, let r):
            return "\(p): \(r) (--teacher needs a fer-cam model file for 48×48 faces and the seven FER2013 emotions)"
        }
    }
}

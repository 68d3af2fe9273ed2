// fer-bench's --boxes file: one BoxLine per processed frame, written as it goes.
// It does not decide what the boxes are (the pipeline's drawn faces).
import FERCam
import FERVision
import Foundation

final class BoxLog {
    private let handle: FileHandle
    let path: String

    init(path: String) throws(CamError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw .configuration("--boxes \(path): cannot create the file (check that its directory exists and is writable)")
        }
        handle = h
    }

    func write(frame: Int, boxes: [Box]) throws(CamError) {
        do { try handle.write(contentsOf: Data((BoxLine.encode(frame: frame, boxes: boxes) + "\n").utf8)) } catch {
            throw .configuration("--boxes \(path): \(error.localizedDescription)")
        }
    }
}

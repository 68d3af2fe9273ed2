// Checks a detection log that logrotate split over several files (fer-bench
// soak): every line is one whole JSON object ending in a newline; each
// (track, event, frame) appears once; frame numbers never go backwards, across
// files too; a track's `start` comes before its updates and its `end`, nothing
// follows its `end`, and (at the end of a run) every started track has ended.
// Optionally compares the count of detection events with the count fer-cam
// reported, which catches lost lines. Reads bytes it is given; opens no files
// except in check(paths:) and never repairs anything.
import Foundation

public struct DetectionLogCheck: Sendable {
    /// What the log held and the problems found, in log order.
    public struct Report: Sendable, Equatable {
        public var files = 0
        public var lines = 0
        /// start / update / end lines.
        public var detectionEvents = 0
        /// `camera` lines (state changes), and of those the `lost` ones (camera faults).
        public var cameraLines = 0
        public var cameraLost = 0
        public var tracksStarted = 0
        public var tracksEnded = 0
        /// The first `maxProblems` problems, each naming file:line.
        public var problems: [String] = []
        public var problemCount = 0
        public var ok: Bool { problemCount == 0 }
        public var firstProblem: String? { problems.first }
    }

    private struct Key: Hashable { var track: Int; var event: String; var frame: Int }

    public var maxProblems: Int
    private var report = Report()
    private var seen: [Key: String] = [:]           // → where first seen (file:line)
    private var lastFrame: (frame: Int, at: String)?
    private var openTracks: [Int: String] = [:]     // track → where it started
    private var endedTracks: [Int: String] = [:]    // track → where it ended

    public init(maxProblems: Int = 20) { self.maxProblems = maxProblems }

    /// Checks one file's bytes; call in log order (oldest rotated file first, the live file last).
    public mutating func add(file name: String, contents: Data) {
        report.files += 1
        guard !contents.isEmpty else { return }
        let bytes = [UInt8](contents)
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            let at = "\(name):\(lineNumber)"
            report.lines += 1
            if newline == nil {
                problem("\(at): torn line (\(end - start) bytes without a newline at the end of the file)")
            } else {
                line(Data(bytes[start..<end]), at: at)
            }
            start = end + 1
        }
    }

    /// Ends the check. requireEnded: every started track must have its `end` (a run
    /// stopped with SIGTERM ends them all). expectedEvents: the detection events fer-cam
    /// says it wrote (its "done: … N events" line); a different count means lost or doubled lines.
    public mutating func finish(requireEnded: Bool = true, expectedEvents: Int? = nil) -> Report {
        if requireEnded {
            for (track, at) in openTracks.sorted(by: { $0.key < $1.key }) {
                problem("track \(track) started at \(at) but never ended")
            }
        }
        if let expectedEvents, expectedEvents != report.detectionEvents {
            problem("the log holds \(report.detectionEvents) detection events, fer-cam reported \(expectedEvents) (lines \(expectedEvents > report.detectionEvents ? "lost" : "doubled"))")
        }
        return report
    }

    /// Checks files given as (name, bytes), in log order.
    public static func check(_ files: [(name: String, contents: Data)], requireEnded: Bool = true, expectedEvents: Int? = nil) -> Report {
        var c = DetectionLogCheck()
        for f in files { c.add(file: f.name, contents: f.contents) }
        return c.finish(requireEnded: requireEnded, expectedEvents: expectedEvents)
    }

    /// Reads and checks files by path, in log order.
    public static func check(paths: [String], requireEnded: Bool = true, expectedEvents: Int? = nil) throws -> Report {
        let files = try paths.map { (name: ($0 as NSString).lastPathComponent, contents: try Data(contentsOf: URL(fileURLWithPath: $0))) }
        return check(files, requireEnded: requireEnded, expectedEvents: expectedEvents)
    }

    private mutating func problem(_ text: String) {
        report.problemCount += 1
        if report.problems.count < maxProblems { report.problems.append(text) }
    }

    private mutating func line(_ data: Data, at: String) {
        guard !data.isEmpty else { problem("\(at): empty line"); return }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            problem("\(at): not a whole JSON object (torn or interleaved line?): \(String(decoding: data.prefix(80), as: UTF8.self))")
            return
        }
        guard let event = object["event"] as? String else { problem("\(at): no \"event\" field"); return }
        if event == "camera" {
            report.cameraLines += 1
            if object["state"] as? String == "lost" { report.cameraLost += 1 }
            return
        }
        guard ["start", "update", "end"].contains(event) else { problem("\(at): unknown event '\(event)'"); return }
        guard let frame = (object["frame"] as? NSNumber)?.intValue, let track = (object["track"] as? NSNumber)?.intValue else {
            problem("\(at): \(event) line without an integer frame and track")
            return
        }
        report.detectionEvents += 1
        let key = Key(track: track, event: event, frame: frame)
        if let first = seen[key] {
            problem("\(at): doubled line: track \(track) \(event) at frame \(frame) already at \(first)")
            return
        }
        seen[key] = at
        if let last = lastFrame, frame < last.frame {
            problem("\(at): frame goes backwards: \(frame) after \(last.frame) at \(last.at)")
        }
        if lastFrame == nil || frame >= lastFrame!.frame { lastFrame = (frame, at) }
        if let ended = endedTracks[track] {
            problem("\(at): track \(track) \(event) after its end at \(ended)")
            return
        }
        switch event {
        case "start":
            if let started = openTracks[track] { problem("\(at): track \(track) started again (first start at \(started))"); return }
            openTracks[track] = at
            report.tracksStarted += 1
        case "end":
            guard openTracks.removeValue(forKey: track) != nil else { problem("\(at): track \(track) ends without a start"); return }
            endedTracks[track] = at
            report.tracksEnded += 1
        default:
            if openTracks[track] == nil { problem("\(at): track \(track) update before its start") }
        }
    }
}

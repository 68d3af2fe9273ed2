// `fer-bench recall`: what fer-cam's detection finds compared with OpenCV's
// cascade at full resolution on every frame (scale 1.1, 5 neighbours, min 30 px:
// the reference of ../shared/media/README.md). Runs FrameProcessor frame by
// frame on the file (unpaced, decode not counted), then the reference on the
// same frames, matches boxes (IoU >= 0.5) and prints recall, precision and the
// milliseconds per frame of both, and how long each new face waited for its
// start event (StartDelay). The drawn boxes are what counts: confirmed tracks
// and the new faces outlined before they are confirmed, as the overlay shows them.
import ArgumentParser
import FERCam
import FERCommandLine
import FERVision
import Foundation

struct RecallBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Recall and precision of fer-cam's detection against the full-resolution cascade on every frame, and the cost of both.")

    @Option(help: "Video file (e.g. ../shared/media/group-1080p.mp4).") var source: String
    @Option(help: "Model file (default: models/emotion-cnn.safetensors).") var model: String?
    @Option(help: "Threads for detection, OpenCV and OpenBLAS each.") var threads = 1
    @OptionGroup var detection: DetectionOptions
    @Option(help: "Run the reference on every Nth frame only (1: every frame; recall counts those frames).") var referenceEvery = 1
    @Option(help: "Stop after N frames.") var frames: Int?
    @Option(help: "Write per frame the reference boxes, ours (drawn) and the detection pass: {\"frame\":N,\"reference\":[...],\"ours\":[...],\"detected\":[...],\"jobs\":J,\"cascade_kwindows\":K,\"track_kwindows\":K2,\"motion_regions\":[[x,y,w,h],...],\"scene_cut\":B,\"ms\":T} (K2: of K, around followed faces; T: our milliseconds on that frame).") var dump: String?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard threads >= 1, referenceEvery >= 1 else { throw ValidationError("--threads and --reference-every must be >= 1") }
        do { try detection.config(threads: threads).validate() } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        do { try measure() } catch {
            FileHandle.standardError.write(Data("fer-bench recall: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func measure() throws(CamError) {
        OpenCVThreads.set(threads)
        OpenCVLog.set(.error)
        let config = detection.config(threads: threads)
        let cascadePath = try DetectionOptions.cascadePath()
        let detector = try HaarFaceDetector(cascadePath: cascadePath, config: config.detection)
        var planLine = ""
        detector.onPlan = { planLine = $0 }
        let classifier = try EmotionModel.classifier(path: try ModelLocator.resolve(flag: model), threads: threads)
        let processor = FrameProcessor(detector: detector, classifier: classifier, config: config)

        // Ours: every frame, as fer-cam processes a file.
        var ours: [Int: [Box]] = [:]
        var oursMs: [Double] = [], searched: [Double] = [], timings: [StageTimings] = []
        var settledMs: [Double] = []   // frames after the first second: past the start-up scan
        var passes: [Int: DetectionPass] = [:]   // --dump: what each detection pass did
        var starts: [Int: (frame: Int, box: Box)] = [:]   // track id -> its start's frame and box
        var times: [Int: Double] = [:]   // frame index -> seconds
        var spans: [Int: (first: Int, last: Int, frames: Int, box: Box)] = [:]   // track id -> frames drawn, last box
        var source = try VideoFileSource(path: self.source, pace: false)
        while let frame = try source.next() {
            if let n = frames, frame.index >= n { break }
            let t0 = MonotonicClock.nanos()
            let r = try processor.process(frame)
            oursMs.append(Double(MonotonicClock.nanos() - t0) / 1e6)
            if frame.time >= 1 { settledMs.append(oursMs.last!) }
            searched.append(Double(r.ranDetector ? detector.lastPass.windows : 0))
            if dump != nil && r.ranDetector { passes[frame.index] = detector.lastPass }
            timings.append(r.timings)
            if frame.index % referenceEvery == 0 { ours[frame.index] = r.drawnBoxes }
            times[frame.index] = frame.time
            for e in r.events where e.kind == .start {
                if let f = r.faces.first(where: { $0.id == e.track }) { starts[e.track] = (frame.index, f.box) }
            }
            for f in r.faces {
                let had = spans[f.id] ?? (frame.index, frame.index, 0, f.box)
                spans[f.id] = (had.first, frame.index, had.frames + 1, f.box)
            }
        }

        // The reference: the cascade on the whole frame at full size.
        let reference = try CascadeDetectorOrFail(cascadePath)
        var refMs: [Double] = []
        var tally = BoxRecall(), settled = BoxRecall()   // settled: frames after the first second (start-up)
        var perFrameRecall: [Double] = []
        var refBoxes: [Int: [Box]] = [:]   // reference frame index -> the reference's boxes
        var dumpLines: [String] = []
        source = try VideoFileSource(path: self.source, pace: false)
        while let frame = try source.next() {
            if let n = frames, frame.index >= n { break }
            guard frame.index % referenceEvery == 0 else { continue }
            let t0 = MonotonicClock.nanos()
            let ref: [Box]
            do { ref = try reference.detect(frame.gray, scaleFactor: 1.1, minNeighbors: 5, minSize: 30) } catch {
                throw .internalError("reference detection: \(error)")
            }
            refMs.append(Double(MonotonicClock.nanos() - t0) / 1e6)
            refBoxes[frame.index] = ref
            let m = tally.add(reference: ref, found: ours[frame.index] ?? [])
            if frame.time >= 1 { settled.add(reference: ref, found: ours[frame.index] ?? []) }
            if dump != nil {
                var line = "{\"frame\":\(frame.index),\"reference\":\(BoxLine.array(ref)),\"ours\":\(BoxLine.array(ours[frame.index] ?? []))"
                if let p = passes[frame.index] {
                    func kilo(_ n: Int) -> String { String(format: "%.1f", Double(n) / 1000) }
                    line += ",\"detected\":\(BoxLine.array(p.faces)),\"jobs\":\(p.jobs),\"cascade_kwindows\":\(kilo(p.windows))"
                        + ",\"track_kwindows\":\(kilo(p.trackWindows))"
                        + ",\"motion_regions\":\(BoxLine.array(p.motionRegions)),\"scene_cut\":\(p.sceneCut)"
                }
                dumpLines.append(line + ",\"ms\":\(String(format: "%.2f", oursMs[frame.index]))}")
            }
            if !ref.isEmpty { perFrameRecall.append(Double(m) / Double(ref.count)) }
        }

        if let dump {
            guard FileManager.default.createFile(atPath: dump, contents: Data((dumpLines.joined(separator: "\n") + "\n").utf8)) else {
                throw .configuration("--dump \(dump): cannot write the file (does its directory exist?)")
            }
        }
        // From a face's first reference frame to its start event, per track the reference saw.
        let delayByTrack = starts.compactMapValues { StartDelay.seconds(startFrame: $0.frame, box: $0.box, reference: refBoxes, times: times) }
        let delays = Array(delayByTrack.values)
        let result: [String: Any] = [
            "benchmark": "recall", "source": self.source, "threads": threads, "detection": detection.summary,
            "plan": planLine, "frames": oursMs.count, "reference_frames": tally.frames,
            "reference_boxes": tally.referenceBoxes, "found_boxes": tally.foundBoxes, "matched": tally.matched,
            "recall": tally.recall, "precision": tally.precision,
            "recall_after_first_second": settled.recall, "precision_after_first_second": settled.precision, "min_iou": BoxRecall.minIoU,
            "worst_frame_recall": perFrameRecall.min() ?? 1,
            "ours_ms_per_frame": ["mean": Stats.mean(oursMs), "median": Stats.percentile(oursMs, 50), "p99": Stats.percentile(oursMs, 99), "max": oursMs.max() ?? 0],
            "ours_ms_per_frame_after_first_second": ["mean": Stats.mean(settledMs), "p99": Stats.percentile(settledMs, 99)],
            "reference_ms_per_frame": ["mean": Stats.mean(refMs), "median": Stats.percentile(refMs, 50)],
            "cascade_kwindows_per_frame": Stats.mean(searched) / 1000,
            "stages_mean_ms": ["detect": Stats.mean(timings.map(\.detect)), "classify": Stats.mean(timings.map(\.classify)),
                               "track": Stats.mean(timings.map(\.track))],
            "tracks_started": starts.count,
            "start_delay_s": ["tracks": delays.count, "mean": Stats.mean(delays), "p99": Stats.percentile(delays, 99), "max": delays.max() ?? 0],
            "tracks": spans.keys.sorted().map { id in
                let s = spans[id]!
                return ["id": id, "first_frame": s.first, "last_frame": s.last, "frames": s.frames, "last_box": [s.box.x, s.box.y, s.box.width, s.box.height],
                        "start_delay_s": delayByTrack[id].map { $0 as Any } ?? NSNull()]
            },
            "peak_rss_mb": Stats.peakRSSMegabytes(),
        ]
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "recall %.1f %%, precision %.1f %% (%d of %d reference boxes, %d frames); ours %.1f ms/frame (p99 %.1f), reference %.1f ms/frame; %d tracks",
                         100 * tally.recall, 100 * tally.precision, tally.matched, tally.referenceBoxes, tally.frames,
                         Stats.mean(oursMs), Stats.percentile(oursMs, 99), Stats.mean(refMs), starts.count))
        }
    }
}

/// The reference cascade, loaded with fer-cam's error wording.
private func CascadeDetectorOrFail(_ path: String) throws(CamError) -> CascadeDetector {
    do { return try CascadeDetector(path: path) } catch { throw .configuration("cascade \(path): \(error)") }
}

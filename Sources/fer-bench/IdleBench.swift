// `fer-bench idle`: what fer-cam's processing costs when nobody is there: a
// still scene (a lit wall with a door, a window and a table: smooth shading
// and edges, no face) plus
// temporal noise like a camera sensor's (mean absolute difference between
// two frames about 4 grey levels), at 30 fps of source time, through the real
// detector and model. Prints ms per frame (the noise is made beforehand and
// not counted) and the cascade windows per frame.
import ArgumentParser
import FERCam
import FERCommandLine
import FERTraining
import FERVision
import Foundation

struct IdleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Cost per frame of a still, noisy scene with nobody in it (the daemon's empty room).")

    @Option(help: "Frame size WxH.") var size = "640x480"
    @Option(help: "Seconds of source time at 30 fps.") var seconds = 30.0
    @Option(help: "Model file (default: models/emotion-cnn.safetensors).") var model: String?
    @OptionGroup var detection: DetectionOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        do { try measure() } catch {
            FileHandle.standardError.write(Data("fer-bench idle: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func measure() throws(CamError) {
        let parts = size.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 64, parts[1] >= 64 else { throw .usage("--size must be WIDTHxHEIGHT, got \(size)") }
        let (w, h) = (parts[0], parts[1])
        OpenCVThreads.set(1)
        OpenCVLog.set(.error)
        let config = detection.config(threads: 1)
        let detector = try HaarFaceDetector(cascadePath: try DetectionOptions.cascadePath(), config: config.detection)
        let classifier = try EmotionModel.classifier(path: try ModelLocator.resolve(flag: model), threads: 1)
        let processor = FrameProcessor(detector: detector, classifier: classifier, config: config)

        // The scene, (h, w) gray: light falling off from the top left, three flat objects.
        var room = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var v = 170 - 60 * Double(x + y) / Double(w + h)
                if x > w / 10 && x < w / 4 && y > h / 6 { v = 95 }                                       // a door
                if x > w / 2 && x < 4 * w / 5 && y > h / 8 && y < 2 * h / 5 { v = 215 }                  // a window
                if x > w / 3 && x < 2 * w / 3 && y > 3 * h / 4 && y < 4 * h / 5 { v = 60 }               // a table top
                room[y * w + x] = UInt8(v)
            }
        }
        let base = try! GrayImage(width: w, height: h, pixels: room)
        // 30 distinct noisy frames, cycled: Gaussian noise of sigma 3.5 (mean |difference| about 4).
        var rng = SplitMix64(seed: 7)
        var frames: [GrayImage] = []
        var meanAbsDiff = 0.0
        for k in 0..<30 {
            var px = base.pixels
            for i in px.indices {
                let n = gaussian(&rng) * 3.5
                px[i] = UInt8(max(0, min(255, (Double(px[i]) + n).rounded())))
            }
            let img = try! GrayImage(width: w, height: h, pixels: px)
            if k > 0 { meanAbsDiff += zip(frames[k - 1].pixels, px).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(px.count) }
            frames.append(img)
        }
        meanAbsDiff /= 29
        let bgr = BGRImage(width: w, height: h)
        let n = Int(seconds * 30)
        var ms: [Double] = [], searched = 0.0, faces = 0
        for i in 0..<n {
            let frame = Frame(index: i, time: Double(i) / 30, source: "idle", gray: frames[i % frames.count], bgr: bgr)
            let t0 = MonotonicClock.nanos()
            let r = try processor.process(frame)
            ms.append(Double(MonotonicClock.nanos() - t0) / 1e6)
            if r.ranDetector { searched += Double(detector.lastPass.windows) }
            faces += r.faces.count
        }
        let result: [String: Any] = [
            "benchmark": "idle", "size": size, "frames": n, "seconds": seconds, "detection": detection.summary,
            "noise_mean_abs_frame_difference": meanAbsDiff,
            "ms_per_frame": ["mean": Stats.mean(ms), "median": Stats.percentile(ms, 50), "p99": Stats.percentile(ms, 99), "max": ms.max() ?? 0],
            "cascade_kwindows_per_frame": searched / Double(n) / 1000, "faces_drawn": faces,
        ]
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "idle %@: %.3f ms/frame mean (p99 %.2f, max %.1f) over %d frames; noise |diff| %.2f",
                         size, Stats.mean(ms), Stats.percentile(ms, 99), ms.max() ?? 0, n, meanAbsDiff))
        }
    }
}

/// A standard normal sample (Box-Muller).
private func gaussian(_ rng: inout SplitMix64) -> Double {
    let u = Double(max(rng.uniform(0, 1), 1e-7)), v = Double(rng.uniform(0, 1))
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
}

// Models whose input is not 48×48 (40×40, 64×64): the daemon cuts each face
// at the model's own side, so every batch slot is exactly filled (a 48×48
// face in a 40×40 slot once overran the batch; in a 64×64 slot it was
// silently wrong). In-process against the same preprocessing done by hand,
// and the release binary end to end on a real photo.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite(.serialized) struct ModelSideTests {
    /// A small seeded network of input (1, side, side): flatten + dense, so
    /// every input pixel matters and a wrong-size face changes the result.
    private func modelFile(side: Int, in dir: URL) throws -> String {
        let spec = ModelSpec(name: "side\(side)", input: [1, side, side],
                             layers: [.avgPool(kernel: 4, stride: 4), .flatten, .dense(name: "fc", outFeatures: 7)])
        let net = try Network(spec: spec, seed: UInt64(side))
        let model = LoadedModel(spec: spec, tensors: net.exportTensors(), normalization: InputNormalization(),
                                labels: Emotion.names, provenance: [:])
        let path = dir.appendingPathComponent("side\(side).safetensors").path
        try ModelFile.save(model, to: URL(fileURLWithPath: path))
        return path
    }

    private func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fer-side-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [40, 64])
    func framesAreClassifiedAtTheModelsSide(side: Int) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try modelFile(side: side, in: dir)
        let classifier = try EmotionModel.classifier(path: path, threads: 1)
        #expect(classifier.inputSide == side)
        let img = try ImageCodec.decode(path: try TestPaths.requireMedia("faces.jpg")).gray()
        let boxes = [Box(x: 40, y: 60, width: 90, height: 90), Box(x: 300, y: 80, width: 70, height: 70),
                     Box(x: 650, y: 400, width: 80, height: 80)]   // the last one leaves the 710×473 picture
        var config = PipelineConfig()
        config.forStillImages()   // one picture: each face is reported from its one detection
        config.tracker.probabilityAlpha = 1   // no smoothing: the logged row is the network's output
        let processor = FrameProcessor(detector: ScriptedDetector { _ in boxes }, classifier: classifier, config: config)
        let frame = Frame(index: 0, time: 0, source: "faces.jpg", gray: img, bgr: BGRImage(width: img.width, height: img.height))
        let starts = try processor.process(frame).events.filter { $0.kind == .start }
        #expect(starts.count == boxes.count)
        // The same faces cut by hand at the model's side and classified directly.
        let pre = FacePreprocessor(normalization: classifier.normalization, side: side, margin: config.classification.margin,
                                   equalize: config.classification.equalize)
        for e in starts {
            let face = pre.preprocess(gray: img, box: e.box)
            #expect(face.count == side * side)
            let want = try face.withUnsafeBufferPointer { try classifier.classify($0, count: 1) }[0]
            let diff = zip(want, e.probabilities).map { abs($0 - $1) }.max() ?? 1
            #expect(diff < 1e-5, "face \(e.box) at \(side)x\(side): max difference \(diff)")
        }
    }

    @Test(arguments: [40, 64])
    func ferCamRunsAModelOfThatSideOnAPhoto(side: Int) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try modelFile(side: side, in: dir)
        let photo = try TestPaths.requireMedia("faces.jpg")
        let r = try runProcess(try TestPaths.ferCamBinary(), ["--source", photo, "--detect-width", "0", "--scale-factor", "1.1", "--min-neighbors", "5", "--min-face", "30", "--model", path])
        #expect(r.status == 0, "fer-cam with a \(side)x\(side) model: exit \(r.status): \(r.stderr)")
        let events = try LoggedEvent.parse(r.stdout)
        #expect(events.filter { $0.event == "start" }.count == 6, "six faces in faces.jpg: \(r.stdout)")
        checkEventOrder(events)
    }
}

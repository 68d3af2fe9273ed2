// The window under a private virtual X server (VirtualDisplay): a screenshot shows the
// overlay, and a synthetic q key press (xdotool) ends fer-cam with exit 0.
// The overlay drawing itself is checked in-process without a display.
import Foundation
import Testing
@testable import FERCam
import FERNet
import FERVision

@Suite(.serialized) struct WindowTests {
    @Test func overlayDrawsBoxLabelAndBars() throws {
        let frame = blankFrame(index: 3, width: 320, height: 240)
        var p = [Float](repeating: 0.02, count: 7)
        p[Emotion.happy.rawValue] = 0.88
        let face = TrackedFace(id: 4, box: Box(x: 60, y: 60, width: 80, height: 80), probabilities: p, detectedNow: true)
        let img = OverlayRenderer().render(FrameResult(frame: frame, faces: [face], events: [], ranDetector: true, timings: StageTimings()), fps: 12)
        let happy = OverlayRenderer.colors[Emotion.happy.rawValue]
        // The box outline is in the emotion's colour.
        #expect(img[60, 100] == happy && img[139, 100] == happy)
        // The bar panel sits under the box; the happy bar is the longest.
        func barLength(_ e: Emotion) -> Int {
            let y = 140 + 2 + 1 + e.rawValue * 10 + 5
            return (60..<320).filter { img[$0, y] == OverlayRenderer.colors[e.rawValue] }.count
        }
        #expect(barLength(.happy) >= 35 && barLength(.sad) < 5)
        // Something was drawn at the top-left (status line) where the frame was plain.
        #expect((0..<60).contains { img[$0, 8] != frame.bgr[$0, 8] })
    }

    @Test func overlayOutlinesANewFaceWithoutLabelOrBars() throws {
        let frame = blankFrame(index: 3, width: 320, height: 240)
        let new = Box(x: 100, y: 80, width: 60, height: 60)
        let img = OverlayRenderer().render(FrameResult(frame: frame, faces: [], newFaces: [new], events: [], ranDetector: true,
                                                       timings: StageTimings()), fps: nil)
        #expect(img[100, 110] == .white && img[159, 110] == .white && img[130, 80] == .white && img[130, 139] == .white,
                "a thin white outline on the box's edges")
        #expect(img[102, 110] == frame.bgr[102, 110] && img[130, 110] == frame.bgr[130, 110], "one pixel thick, nothing inside")
        var outside = 0   // changed pixels outside the box, below the status line
        for y in 40..<img.height { for x in 0..<img.width where img[x, y] != frame.bgr[x, y] {
            if !new.contains(x: Double(x), y: Double(y)) { outside += 1 }
        } }
        #expect(outside == 0, "no label or bars outside the box")
    }

    @Test func windowShowsTheOverlayAndQuitsOnQ() throws {
        let tools = ["/usr/bin/xdotool", "/usr/bin/import"]
        for t in tools where !FileManager.default.isExecutableFile(atPath: t) {
            Issue.record("\(t) missing: run scripts/setup --tests (xvfb, xdotool, imagemagick)")
            return
        }
        let shot = NSTemporaryDirectory() + "fercam-window-\(UUID().uuidString)"
        let log = shot + ".jsonl"
        let shots = (1...6).map { shot + "-\($0).png" }
        defer { for f in shots + [log] { try? FileManager.default.removeItem(atPath: f) } }
        let bin = try TestPaths.ferCamBinary()
        // Conditions, not fixed sleeps (a sanitized fer-cam starts many times slower): the window
        // is up and faces were logged (so boxes are drawn), then six screenshots half a second
        // apart; q is pressed until fer-cam ends (a key sent before the window has focus is lost).
        let script = """
        "\(bin)" --source test --show --model "\(TestModel.path)" --log "\(log)" &
        pid=$!
        for i in $(seq 1 300); do [ -s "\(log)" ] && xdotool search --name '^fer-cam$' >/dev/null 2>&1 && break; sleep 0.2; done
        for k in 1 2 3 4 5 6; do sleep 0.5; import -window root "\(shot)-$k.png"; done
        wid=$(xdotool search --name '^fer-cam$' | head -1)
        xdotool windowfocus --sync "$wid" 2>/dev/null
        for i in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; xdotool key --window "$wid" q; xdotool key q; sleep 1; done
        if kill -0 $pid 2>/dev/null; then kill -9 $pid; echo "still running after q"; exit 99; fi
        wait $pid
        """
        let r = try VirtualDisplay.with { env in try runProcess("/bin/sh", ["-c", script], environment: env, timeout: 240) }
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        // The synthetic camera's faces are boxed: pixels of the overlay's emotion colours are on screen.
        let colors = Set(OverlayRenderer.colors)
        var hits: [Int] = []
        for path in shots {
            let img = try ImageCodec.decode(path: path)
            var n = 0
            for y in stride(from: 0, to: img.height, by: 2) { for x in stride(from: 0, to: img.width, by: 2) where colors.contains(img[x, y]) { n += 1 } }
            hits.append(n)
        }
        #expect(hits.contains { $0 > 200 }, "overlay colours on the screenshots: \(hits) pixels")
    }

    /// A still image stays on screen after it was processed, until q.
    @Test func aStillImageWaitsForQ() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else {
            Issue.record("xdotool missing: run scripts/setup --tests"); return
        }
        let bin = try TestPaths.ferCamBinary()
        let photo = try TestPaths.requireMedia("faces.jpg")
        let log = NSTemporaryDirectory() + "fercam-still-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        // The image was processed once its faces are logged; a second later fer-cam must still be open.
        let script = """
        "\(bin)" --source "\(photo)" --show --model "\(TestModel.path)" --log "\(log)" &
        pid=$!
        for i in $(seq 1 300); do [ -s "\(log)" ] && xdotool search --name '^fer-cam$' >/dev/null 2>&1 && break; sleep 0.2; done
        sleep 1
        kill -0 $pid 2>/dev/null && echo "open after the image was done"
        for i in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; xdotool key q; sleep 1; done
        if kill -0 $pid 2>/dev/null; then kill -9 $pid; echo "still running after q"; exit 99; fi
        wait $pid
        """
        let r = try VirtualDisplay.with { env in try runProcess("/bin/sh", ["-c", script], environment: env, timeout: 240) }
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("open after the image was done"))
    }
}

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

    @Test func windowShowsTheOverlayAndQuitsOnQ() throws {
        let tools = ["/usr/bin/xdotool", "/usr/bin/import"]
        for t in tools where !FileManager.default.isExecutableFile(atPath: t) {
            Issue.record("\(t) missing: run scripts/setup --tests (xvfb, xdotool, imagemagick)")
            return
        }
        let shot = NSTemporaryDirectory() + "fercam-window-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: shot) }
        let bin = try TestPaths.ferCamBinary()
        let script = """
        "\(bin)" --source test --show --model "\(TestModel.path)" --log /dev/null &
        pid=$!
        for i in $(seq 1 100); do xdotool search --name '^fer-cam$' >/dev/null 2>&1 && break; sleep 0.2; done
        sleep 3
        import -window root "\(shot)"
        wid=$(xdotool search --name '^fer-cam$' | head -1)
        xdotool windowfocus --sync "$wid" 2>/dev/null; xdotool key --window "$wid" q; xdotool key q
        for i in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
        if kill -0 $pid 2>/dev/null; then kill -9 $pid; echo "still running after q"; exit 99; fi
        wait $pid
        """
        let r = try VirtualDisplay.with { env in try runProcess("/bin/sh", ["-c", script], environment: env, timeout: 90) }
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        let img = try ImageCodec.decode(path: shot)
        // The synthetic camera's faces are boxed: pixels of the overlay's emotion colours are on screen.
        let colors = Set(OverlayRenderer.colors)
        var hits = 0
        for y in stride(from: 0, to: img.height, by: 2) { for x in stride(from: 0, to: img.width, by: 2) where colors.contains(img[x, y]) { hits += 1 } }
        #expect(hits > 200, "overlay colours on the screenshot: \(hits) pixels")
    }

    /// A still image stays on screen after it was processed, until q.
    @Test func aStillImageWaitsForQ() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool") else {
            Issue.record("xdotool missing: run scripts/setup --tests"); return
        }
        let bin = try TestPaths.ferCamBinary()
        let photo = try TestPaths.requireMedia("faces.jpg")
        let script = """
        "\(bin)" --source "\(photo)" --show --model "\(TestModel.path)" --log /dev/null &
        pid=$!
        for i in $(seq 1 100); do xdotool search --name '^fer-cam$' >/dev/null 2>&1 && break; sleep 0.2; done
        sleep 2
        kill -0 $pid 2>/dev/null && echo "open after the image was done"
        xdotool key q
        for i in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
        if kill -0 $pid 2>/dev/null; then kill -9 $pid; echo "still running after q"; exit 99; fi
        wait $pid
        """
        let r = try VirtualDisplay.with { env in try runProcess("/bin/sh", ["-c", script], environment: env, timeout: 90) }
        #expect(r.status == 0, "exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("open after the image was done"))
    }
}

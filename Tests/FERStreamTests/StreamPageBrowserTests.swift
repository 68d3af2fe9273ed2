// The live page in a real browser: headless Chromium loads / while a feeder publishes solid
// red frames, faces and events; the screenshot's frame area must be that red, and the DOM
// (after its scripts ran) must list the face with its seven bars and the events.
// Needs chromium and ImageMagick (scripts/setup --tests).
import Foundation
import Testing
@testable import FERStream

@Suite(.serialized, .timeLimit(.minutes(2)))
struct StreamPageBrowserTests {
    static let chromeFlags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]

    struct Case: Sendable, CustomTestStringConvertible {
        var token: String?
        var window: String  // "W,H"
        var crop: String    // a region inside the frame for that layout
        var testDescription: String { "\(window) token=\(token ?? "none")" }
    }

    static func tempPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ferstream-\(UUID().uuidString)-\(name)").path
    }

    /// A hub with one face and two events, fed solid red 320×240 frames.
    static func feedHub() -> (StreamHub, Feeder) {
        let hub = hubWithFacesAndEvents()
        return (hub, Feeder(hub: hub, jpeg: TestJPEG.red320x240, interval: 0.04))
    }

    static func hubWithFacesAndEvents() -> StreamHub {
        let hub = StreamHub()
        hub.updateFaces([FaceSnapshot(trackID: 42, box: [10, 10, 100, 100], emotion: "surprise", score: 0.8,
                                      probabilities: [0.02, 0.01, 0.05, 0.04, 0.03, 0.8, 0.05])])
        hub.publishEvent(json: #"{"time":"2026-01-01T10:00:00Z","event":"start","track_id":42,"emotion":"surprise","score":0.8}"#)
        hub.publishEvent(json: #"{"time":"2026-01-01T10:00:01Z","event":"update","track_id":42,"emotion":"surprise","score":0.81}"#)
        return hub
    }

    @Test(arguments: [
        Case(token: nil, window: "800,600", crop: "160x100+120+120"),      // desktop: frame left, panel right
        Case(token: "pa ss", window: "800,600", crop: "160x100+120+120"),  // token passed on to sub-resources
        Case(token: nil, window: "390,800", crop: "200x100+90+90"),        // phone: frame on top, full width
    ])
    func chromiumShowsTheStreamedColourInTheFrameArea(_ c: Case) async throws {
        let token = c.token
        let (hub, feeder) = Self.feedHub()
        defer { feeder.stop() }
        let shot = Self.tempPath("page.png")
        defer { try? FileManager.default.removeItem(atPath: shot) }
        // Headless Chromium may take its screenshot before it paints the first
        // MJPEG part; up to 3 page loads, the last one is judged.
        var rgb: [Int] = []
        for _ in 1...3 {
            try? FileManager.default.removeItem(atPath: shot)
            try await withServer(hub: hub, token: token) { _, port in
                let url = "http://127.0.0.1:\(port)/" + StreamServer.tokenQuery(token)
                let run = try await onThread { try Tools.run("chromium", Self.chromeFlags + ["--window-size=\(c.window)", "--screenshot=\(shot)", url], timeout: 60) }
                #expect(FileManager.default.fileExists(atPath: shot), "chromium made no screenshot: \(run.stderr.suffix(500))")
            }
            let mean = try Tools.run("convert", [shot, "-crop", c.crop, "+repage", "-format",
                                                 "%[fx:int(255*mean.r)],%[fx:int(255*mean.g)],%[fx:int(255*mean.b)]", "info:"])
            rgb = mean.stdout.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            try #require(rgb.count == 3, "could not read the screenshot: \(mean.stderr)")
            if abs(rgb[0] - 224) <= 12 && abs(rgb[1] - 16) <= 12 && abs(rgb[2] - 48) <= 12 { break }
        }
        #expect(abs(rgb[0] - 224) <= 12 && abs(rgb[1] - 16) <= 12 && abs(rgb[2] - 48) <= 12,
                "frame area is rgb(\(rgb[0]),\(rgb[1]),\(rgb[2])), the stream publishes rgb(224,16,48)")
    }

    /// Firefox ESR (Debian's firefox-esr, installed by scripts/setup --tests) renders the same page.
    @Test func firefoxShowsTheStreamedColourInTheFrameArea() async throws {
        guard Tools.find("firefox-esr") != nil || Tools.find("firefox") != nil else {
            Issue.record("firefox-esr is not installed: run scripts/setup --tests")
            return
        }
        let (hub, feeder) = Self.feedHub()
        defer { feeder.stop() }
        let shot = Self.tempPath("firefox.png"), profile = Self.tempPath("ffprofile")
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: shot); try? FileManager.default.removeItem(atPath: profile) }
        let firefox = Tools.find("firefox-esr") != nil ? "firefox-esr" : "firefox"
        try await withServer(hub: hub) { _, port in
            let run = try await onThread {
                try Tools.run(firefox, ["--headless", "--profile", profile, "--window-size=800,600", "--screenshot", shot, "http://127.0.0.1:\(port)/"], timeout: 90)
            }
            #expect(FileManager.default.fileExists(atPath: shot), "firefox made no screenshot: \(run.stderr.suffix(500))")
            #expect(!run.stderr.contains("Corrupt JPEG"), "firefox decoded the parts cleanly")
        }
        let mean = try Tools.run("convert", [shot, "-crop", "160x100+120+120", "+repage", "-format",
                                             "%[fx:int(255*mean.r)],%[fx:int(255*mean.g)],%[fx:int(255*mean.b)]", "info:"])
        let rgb = mean.stdout.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(rgb.count == 3, "could not read the screenshot: \(mean.stderr)")
        #expect(abs(rgb[0] - 224) <= 12 && abs(rgb[1] - 16) <= 12 && abs(rgb[2] - 48) <= 12, "frame area is rgb(\(rgb[0]),\(rgb[1]),\(rgb[2]))")
    }

    @Test func theScriptsRenderFacesAndEventsFromTheEventStream() async throws {
        // No frames here on purpose: the image never finishes loading, so Chromium dumps the
        // DOM at --timeout, long after the event stream has been rendered (no race).
        let hub = Self.hubWithFacesAndEvents()
        hub.setCamera(state: .streaming)
        let dom = try await withServer(hub: hub) { _, port in
            try await onThread {
                try Tools.run("chromium", Self.chromeFlags + ["--window-size=800,600", "--timeout=3000", "--dump-dom", "http://127.0.0.1:\(port)/"], timeout: 60)
            }
        }
        let html = dom.stdout
        #expect(html.contains("#42 surprise"), "the face is listed: \(html.prefix(300))")
        #expect(html.components(separatedBy: "class=\"bar").count - 1 == 7, "seven emotion bars for the one face")
        #expect(html.contains("start #42 surprise 80%"))
        #expect(html.contains("update #42 surprise 81%"))
        // The camera event arrived (state streaming with no image yet → the image is reloaded);
        // the badge itself reads "disconnected" here because --timeout stops the event stream.
        #expect(html.contains("src=\"stream.mjpg?r="))
    }
}

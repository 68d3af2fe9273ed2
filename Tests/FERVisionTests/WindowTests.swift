// Window: the display check only. No window is opened here (Qt aborts the
// process without a display); the live pipeline's xvfb test opens one.

import Testing
@testable import FERVision

@Suite struct WindowTests {
    @Test func canOpenNeedsADisplay() {
        #expect(!Window.canOpen(environment: [:]))
        #expect(!Window.canOpen(environment: ["DISPLAY": ""]))
        #expect(!Window.canOpen(environment: ["HOME": "/root"]))
        #expect(Window.canOpen(environment: ["DISPLAY": ":99"]))
        #expect(Window.canOpen(environment: ["WAYLAND_DISPLAY": "wayland-0"]))
    }

    @Test(.enabled(if: !Window.canOpen, "this process has a display"))
    func refusesWithoutDisplay() {
        #expect(throws: VisionError.noDisplay) { try Window(title: "test") }
        #expect(VisionError.noDisplay.description.contains("DISPLAY"))
        #expect(VisionError.noDisplay.exitCode == 69)
    }
}

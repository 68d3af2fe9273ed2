// OpenCVThreads: the thread count set is the one OpenCV reports.

import Testing
@testable import FERVision

@Suite(.serialized) struct OpenCVSettingsTests {
    @Test func setThreads() {
        let before = OpenCVThreads.current
        defer { OpenCVThreads.set(before) }
        OpenCVThreads.set(1)
        #expect(OpenCVThreads.current == 1)
        OpenCVThreads.set(2)
        #expect(OpenCVThreads.current == 2)
    }
}

// CameraState from PipelineHealth: the pipeline's own camera status wins when
// it says lost; otherwise the run's state and the age of the last frame.
import FERCam
import FERStream
import Testing
import FERStreamFeed

@Suite struct StreamCameraStateTests {
    func health(_ state: PipelineState, age: Double?, camera: CameraStatus = .streaming) -> PipelineHealth {
        var h = PipelineHealth()
        h.state = state
        h.secondsSinceLastFrame = age
        h.camera = camera
        return h
    }

    @Test func runningWithFreshFramesIsStreaming() {
        #expect(CameraState(health(.running, age: 0.1), stallSeconds: 2) == .streaming)
        #expect(CameraState(health(.stopping, age: 1.9), stallSeconds: 2) == .streaming)
    }

    @Test func beforeTheFirstFrameIsStarting() {
        #expect(CameraState(health(.idle, age: nil, camera: .starting), stallSeconds: 2) == .starting)
        #expect(CameraState(health(.running, age: nil, camera: .starting), stallSeconds: 2) == .starting)
    }

    @Test func aStallIsLostWithItsAge() {
        #expect(CameraState(health(.running, age: 3.25), stallSeconds: 2) == .lost("no frame for 3.2 s"))
    }

    @Test func theSourcesLossIsTheOneReason() {
        // The same status the log's and MQTT's camera lines carry, even before a stall shows.
        let h = health(.running, age: 0.2, camera: .lost(reason: "camera disconnected (EIO)"))
        #expect(CameraState(h, stallSeconds: 2) == .lost("camera disconnected (EIO)"))
        #expect(CameraState(CameraStatus.lost(reason: "x")) == .lost("x"))
        #expect(CameraState(CameraStatus.starting) == .starting && CameraState(CameraStatus.streaming) == .streaming)
    }

    @Test func aFailedOrEndedRunIsLost() {
        let failed = health(.failed(.deviceUnavailable("/dev/video0: stopped delivering")), age: 0.1)
        #expect(CameraState(failed, stallSeconds: 2) == .lost("/dev/video0: stopped delivering"))
        #expect(CameraState(health(.finished, age: 0.1), stallSeconds: 2) == .lost("the source ended"))
    }

    @Test func theStallBoundFollowsTheFrameTimeout() {
        #expect(StreamHealthMirror.stallSeconds(frameTimeoutMs: 500) == 2)
        #expect(StreamHealthMirror.stallSeconds(frameTimeoutMs: 5000) == 5)
    }
}

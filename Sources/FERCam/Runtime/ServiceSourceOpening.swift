// Opens a run's source the way the daemon needs it: a camera (and the test
// camera with --test-fault) comes wrapped in a ReconnectingSource, so losing
// it means waiting for it to return, not exiting. Files, stills and the
// plain test camera open as before and end normally.
import Foundation

extension SourceSpec {
    public func openForService(camera: V4L2Request, pace: Bool, fault: TestFault?) throws(CamError) -> FrameSource {
        switch self {
        case .device(let path):
            guard fault == nil else { throw .usage("--test-fault works only with --source test") }
            let initial = try V4L2Source(device: path, request: camera)
            return ReconnectingSource(initial: initial) { () throws(CamError) -> FrameSource in
                try V4L2Source(device: path, request: camera)
            }
        case .test:
            guard let fault else { return try open(camera: camera, pace: pace) }
            let outage = SimulatedOutage()
            let spec = self
            let make: @Sendable () throws(CamError) -> FrameSource = { () throws(CamError) -> FrameSource in
                try FaultInjectingSource.open({ (try? spec.open(camera: camera, pace: pace)) ?? SyntheticSource(pace: pace) },
                                              fault: fault, outage: outage)
            }
            return ReconnectingSource(initial: try make(), opener: make)
        case .video, .images:
            guard fault == nil else { throw .usage("--test-fault works only with --source test") }
            return try open(camera: camera, pace: pace)
        }
    }
}

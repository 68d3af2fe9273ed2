// The stream's camera state (/healthz, /metrics, the page) from the
// pipeline's health: the pipeline's own camera status (PipelineHealth.camera,
// the same one the detection log's and MQTT's `camera` lines come from) plus
// what only the health knows: the run failed or ended, or frames stopped
// coming (a stall) although the source never said it was lost. Mapping only.
import FERCam
import FERStream
import Foundation

extension CameraState {
    /// The pipeline's camera status as the stream names it.
    public init(_ status: CameraStatus) {
        switch status {
        case .starting: self = .starting
        case .streaming: self = .streaming
        case .lost(let reason): self = .lost(reason)
        }
    }

    /// streaming while frames flow; lost when the pipeline failed or ended, the
    /// source lost the camera, or no frame came for more than stallSeconds;
    /// starting before the first frame.
    public init(_ h: PipelineHealth, stallSeconds: Double) {
        switch h.state {
        case .failed(let e): self = .lost(e.message)
        case .finished: self = .lost("the source ended")
        case .idle: self = .starting
        case .running, .stopping:
            if case .lost = h.camera { self = CameraState(h.camera); return }
            guard let age = h.secondsSinceLastFrame else { self = .starting; return }
            self = age > stallSeconds ? .lost(String(format: "no frame for %.1f s", age)) : .streaming
        }
    }
}

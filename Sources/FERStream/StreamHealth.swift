// StreamHealth: the /healthz verdict — healthy while the camera is not lost and the last
// frame is younger than the stale limit. Pure value; the server turns it into 200 or 503.

public struct StreamHealth: Sendable, Equatable {
    public var camera: CameraState
    /// Seconds since the last published frame; nil before the first one.
    public var lastFrameAge: Double?
    public var framesPublished: Int
    public var viewers: Int
    public var staleAfter: Double

    public var isHealthy: Bool {
        guard case .streaming = camera, let age = lastFrameAge else { return false }
        return age < staleAfter
    }

    /// Why it is unhealthy, in words; nil when healthy.
    public var problem: String? {
        if isHealthy { return nil }
        if case .lost(let reason) = camera { return "camera lost: \(reason)" }
        guard let age = lastFrameAge else { return "no frame yet (camera \(camera.name))" }
        if age >= staleAfter {
            return "no frame for \(Double(Int(age * 10)) / 10) s (limit \(staleAfter) s)"
        }
        return "camera \(camera.name)"
    }

    var json: String {
        struct Payload: Encodable {
            let status: String
            let camera: String
            let reason: String?
            let last_frame_age_s: Double?
            let frames_published: Int
            let viewers: Int
        }
        let rounded = lastFrameAge.map { ($0 * 1000).rounded() / 1000 }
        return encodeJSON(Payload(status: isHealthy ? "ok" : "unavailable", camera: camera.name, reason: problem,
                                  last_frame_age_s: rounded, frames_published: framesPublished, viewers: viewers))
    }
}

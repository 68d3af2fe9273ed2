// An optional extra for DetectionSinks that want to hear about the camera
// going away and coming back (the detection log writes `camera` lines). The
// pipeline calls it on the output thread, in order with the frames: first the
// change, then (on loss) the `end` events of the tracks the loss closed.
public protocol CameraEventSink: AnyObject {
    /// closedTracks: `end` events of the tracks that ended because the camera was lost (empty otherwise).
    func camera(_ event: CameraEvent, closedTracks: [DetectionEvent]) throws(CamError)
}

// A DetectionSink made of closures, for code that wants the results without
// writing a type: the HTTP stream (latest frame + events), metrics, tests.
// Called on the pipeline's output thread; hand work off if it is slow.
public final class ClosureSink: DetectionSink {
    private let onResult: (FrameResult) throws(CamError) -> SinkAction
    private let onFinish: ([DetectionEvent]) throws(CamError) -> Void

    public init(onResult: @escaping (FrameResult) throws(CamError) -> SinkAction,
                onFinish: @escaping ([DetectionEvent]) throws(CamError) -> Void = { _ in }) {
        self.onResult = onResult
        self.onFinish = onFinish
    }

    public func consume(_ result: FrameResult) throws(CamError) -> SinkAction { try onResult(result) }
    public func finish(finalEvents: [DetectionEvent]) throws(CamError) { try onFinish(finalEvents) }
}

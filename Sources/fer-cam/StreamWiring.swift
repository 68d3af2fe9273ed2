// Connects the live pipeline to the HTTP overlay stream: starts a StreamServer
// on the --stream address and hands out FERStreamFeed's parts: the sink that
// publishes each frame's events, faces and (paced) overlay JPEG, and the
// mirror of the pipeline's health (counters, camera state). Wiring only; the
// policy lives in FERStreamFeed, the serving in FERStream.
import FERCam
import FERStream
import FERStreamFeed
import Foundation
import Logging

final class StreamWiring: @unchecked Sendable {
    let hub: StreamHub
    let server: StreamServer
    let port: Int
    private let pacing: PublishPacing
    private let mirror: StreamHealthMirror
    private let logger: Logger

    /// Validates and binds the address: 78 for a non-loopback address without a
    /// token, 69 when it cannot listen (address in use, no such interface).
    init(options: StreamOptions, stallSeconds: Double, logger: Logger) throws(CamError) {
        let address: StreamAddress
        do { address = try options.parsedAddress() ?? StreamAddress(host: "127.0.0.1", port: 0) } catch {
            throw .usage(error.message)
        }
        hub = StreamHub()
        do {
            server = try StreamServer(hub: hub, address: address, token: options.token, fpsCap: options.fps,
                                  limits: options.limits, logger: logger)
        } catch {
            throw .configuration(error.description)
        }
        do { port = try server.startInBackground() } catch {
            throw .deviceUnavailable("--stream \(address): cannot listen (\(error)); is another program using that port? "
                                     + "Pick another port, or :0 for any free one")
        }
        pacing = PublishPacing(fpsCap: options.fps)
        mirror = StreamHealthMirror(hub: hub, stallSeconds: stallSeconds)
        self.logger = logger
        logger.info("stream on http://\(StreamAddress(host: address.host, port: port))/")
    }

    /// nil without --stream; otherwise a listening server (see init).
    static func start(_ options: StreamOptions, frameTimeoutMs: Int, logger: Logger) throws(CamError) -> StreamWiring? {
        guard options.address != nil else { return nil }
        return try StreamWiring(options: options, stallSeconds: StreamHealthMirror.stallSeconds(frameTimeoutMs: frameTimeoutMs),
                                logger: logger)
    }

    /// The sink to put behind the pipeline's FanOutSink.
    func makeSink() -> EventLineSink { StreamFeedSink(hub: hub, pacing: pacing, logger: logger) }

    /// Mirrors `pipeline.health` into the hub every half second until stop().
    func watch(_ pipeline: Pipeline) { mirror.watch(pipeline) }

    /// Stops the health mirror and the server (open streams end), waiting at most a few seconds.
    func stop() {
        mirror.stop()
        server.stopAndWait()
    }
}

// fer-cam's --stream flags (an @OptionGroup): where the HTTP overlay stream
// listens, its access token, its frame-rate cap and its client limit, with their
// usage checks.
// Parsing and checking only; StreamWiring builds the server from these.
import ArgumentParser
import FERStream

struct StreamOptions: ParsableArguments {
    @Option(name: .customLong("stream"), help: ArgumentHelp(
        "Serve the overlay video, events, metrics and health over HTTP on ADDR (host:port, [v6]:port, :port or port).",
        discussion: """
        Endpoints: / (live page: video, faces, latest events), /stream.mjpg (MJPEG overlay video), \
        /events (Server-Sent Events: the log's JSON lines, faces, camera state), /snapshot.jpg (latest \
        frame), /metrics (Prometheus text), /healthz (200 while frames flow, else 503).
        Example: fer-cam --stream 127.0.0.1:8080, then open http://127.0.0.1:8080/ \
        (curl http://127.0.0.1:8080/metrics). A malformed ADDR exits 64; a non-loopback ADDR \
        without --stream-token exits 78; an ADDR already in use exits 69.
        """,
        valueName: "addr"))
    var address: String?

    @Option(name: .customLong("stream-token"), help: ArgumentHelp(
        "Secret required by every stream request (?token=SECRET or 'Authorization: Bearer SECRET'; 401 without). Required for a non-loopback --stream.",
        valueName: "token"))
    var token: String?

    @Option(name: .customLong("stream-fps"), help: ArgumentHelp(
        "Send each viewer at most N frames per second (default: every processed frame).", valueName: "n"))
    var fps: Double?

    @Option(name: .customLong("stream-max-clients"), help: ArgumentHelp(
        "Serve at most N MJPEG viewers and /events clients at once (default \(StreamLimits.defaultMaxClients)); one more gets 503 with Retry-After. "
        + "An open page uses two. /, /snapshot.jpg, /metrics and /healthz are never refused.", valueName: "n"))
    var maxClients: Int?

    /// The server's limits: --stream-max-clients, the library's defaults otherwise.
    var limits: StreamLimits {
        StreamLimits(maxClients: maxClients ?? StreamLimits.defaultMaxClients)
    }

    /// The parsed address, nil without --stream. Malformed values are usage errors (64).
    func parsedAddress() throws(ValidationError) -> StreamAddress? {
        guard let address else { return nil }
        do { return try StreamAddress(parsing: address) } catch { throw ValidationError(error.description) }
    }

    /// Usage checks (exit 64). A non-loopback address without a token is a
    /// configuration error (78), reported when the stream starts.
    func validate() throws {
        _ = try parsedAddress()
        if let token, token.isEmpty { throw ValidationError(StreamConfigError.emptyToken.description) }
        if let fps, !(fps > 0 && fps.isFinite && fps <= 240) {
            throw ValidationError("--stream-fps must be in (0, 240], got \(fps)")
        }
        if let maxClients, maxClients < 1 {
            throw ValidationError(StreamConfigError.badMaxClients(maxClients).description)
        }
        if address == nil && (token != nil || fps != nil || maxClients != nil) {
            throw ValidationError("--stream-token, --stream-fps and --stream-max-clients need --stream ADDR")
        }
    }
}

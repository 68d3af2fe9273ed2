// AccessGuard: middleware in front of every route. With a token set, a request must carry it
// (`?token=` or `Authorization: Bearer`), else 401; then any method but GET gets 405 on a
// known path (404 elsewhere, from the router). It does not route or log.
import Hummingbird

struct AccessGuard<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let knownPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let token, !Self.carriesToken(request, token: token) {
            return plainText(.unauthorized, "401 unauthorized: this stream needs its token; add ?token=<token> to the URL or send 'Authorization: Bearer <token>'\n",
                             extra: [.wwwAuthenticate: "Bearer realm=\"fer-cam\""])
        }
        if request.method != .get {
            if knownPaths.contains(request.uri.path) {
                return plainText(.methodNotAllowed, "405 method not allowed: \(request.method) \(request.uri.path); only GET is served here\n",
                                 extra: [.allow: "GET"])
            }
            return plainText(.notFound, "404 not found: \(request.uri.path)\n")
        }
        return try await next(request, context)
    }

    static func carriesToken(_ request: Request, token: String) -> Bool {
        if let given = request.uri.queryParameters["token"], constantTimeEqual(String(given), token) { return true }
        if let auth = request.headers[.authorization] {
            let prefix = "bearer "
            if auth.count > prefix.count, auth.prefix(prefix.count).lowercased() == prefix,
               constantTimeEqual(String(auth.dropFirst(prefix.count)).trimmingWhitespace(), token) {
                return true
            }
        }
        return false
    }
}

/// Compares two secrets in time that depends only on their lengths, not on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return diff == 0
}

/// A short text/plain response (errors say what happened and what to do).
func plainText(_ status: HTTPResponse.Status, _ text: String, extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"]
    headers.append(contentsOf: extra)
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
}

// StreamAddress: parses the `--stream` value ("127.0.0.1:8080", "[::1]:8080", ":8080",
// "localhost:8080", "8080") into host + port, and refuses a non-loopback address that has
// no token. It does not resolve names or open sockets.

/// Where the overlay stream listens. `port` 0 asks the kernel for a free port.
public struct StreamAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`, `:port` or `port`; a missing host means 127.0.0.1.
    public init(parsing text: String) throws(StreamConfigError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .badAddress(text, "it is empty") }
        var host = "127.0.0.1"
        var portText: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else {
                throw .badAddress(text, "an IPv6 address needs a closing ']' as in [::1]:8080")
            }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .badAddress(text, "a port must follow ']', as in [::1]:8080") }
            portText = rest.dropFirst()
        } else if let colon = trimmed.lastIndex(of: ":") {
            let hostPart = trimmed[..<colon]
            if hostPart.contains(":") {
                throw .badAddress(text, "write an IPv6 address in brackets, as in [::1]:8080")
            }
            if !hostPart.isEmpty { host = String(hostPart) }
            portText = trimmed[trimmed.index(after: colon)...]
        } else {
            portText = Substring(trimmed)
        }
        guard !host.isEmpty else { throw .badAddress(text, "the host is empty") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw .badAddress(text, "the port '\(portText)' is not a number from 0 to 65535")
        }
        self.init(host: host, port: port)
    }

    /// True for 127.0.0.0/8, ::1 and "localhost": only this machine can connect.
    public var isLoopback: Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Throws when the address is reachable from other machines and no token guards it.
    public func validate(token: String?) throws(StreamConfigError) {
        if let token, token.isEmpty { throw .emptyToken }
        if !isLoopback && token == nil { throw .tokenRequired(self) }
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Bad stream configuration (exit code 78 in fer-cam): says what is wrong and how to fix it.
public enum StreamConfigError: Error, Equatable, CustomStringConvertible {
    case badAddress(String, String)
    case tokenRequired(StreamAddress)
    case emptyToken
    case badFPSCap(Double)
    case badMaxClients(Int)
    case badTimeouts(String)

    public var description: String {
        switch self {
        case .badAddress(let text, let why):
            return "--stream '\(text)': \(why) (examples: 127.0.0.1:8080, [::1]:8080, :8080)"
        case .tokenRequired(let address):
            return "--stream \(address) is not a loopback address: anyone on the network could watch; "
                + "add --stream-token <secret> (clients then send ?token=<secret> or 'Authorization: Bearer <secret>'), "
                + "or listen on 127.0.0.1"
        case .emptyToken:
            return "--stream-token is empty: give a secret of at least one character"
        case .badFPSCap(let fps):
            return "--stream-fps \(fps): must be a positive number of frames per second"
        case .badMaxClients(let n):
            return "--stream-max-clients \(n): must be at least 1 (it caps MJPEG viewers and /events clients "
                + "served at once; default \(StreamLimits.defaultMaxClients))"
        case .badTimeouts(let what):
            return "stream limits: timeouts must be positive and Retry-After at least 1 s, got \(what)"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

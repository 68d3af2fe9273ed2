// The broker address of --mqtt: mqtt://[user@]host[:port] (plain TCP, port
// 1883 by default) or mqtts://[user@]host[:port] (TLS, 8883). Parsing only;
// a password in the URL is refused (it would show in `ps`): it comes from the
// config file's mqtt-password or $FERCAM_MQTT_PASSWORD.
import Foundation

public struct MQTTURL: Sendable, Equatable, CustomStringConvertible {
    public var tls: Bool
    public var user: String?
    public var host: String
    public var port: Int

    public static let form = "mqtt://[user@]host[:port] or mqtts://[user@]host[:port]"

    public init(tls: Bool, user: String? = nil, host: String, port: Int? = nil) {
        self.tls = tls
        self.user = user
        self.host = host
        self.port = port ?? (tls ? 8883 : 1883)
    }

    public init(parsing text: String) throws(MQTTConfigError) {
        func bad(_ why: String) -> MQTTConfigError { .badURL(value: text, reason: why) }
        let rest: Substring
        if text.hasPrefix("mqtt://") { tls = false; rest = text.dropFirst("mqtt://".count) }
        else if text.hasPrefix("mqtts://") { tls = true; rest = text.dropFirst("mqtts://".count) }
        else { throw bad("it must start with mqtt:// or mqtts://") }
        var authority = rest
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("#") else {
            throw bad("no path, query or fragment after the host (the topic prefix is --mqtt-topic)")
        }
        user = nil
        if let at = authority.lastIndex(of: "@") {
            let u = authority[..<at]
            if u.contains(":") { throw .passwordInURL(value: text) }
            guard !u.isEmpty else { throw bad("empty user name before @") }
            user = String(u)
            authority = authority[authority.index(after: at)...]
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw bad("unclosed [ in an IPv6 address") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("expected :port after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw bad("no host") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:".contains($0) }) else {
            throw bad("the host '\(host)' has characters a host name cannot have")
        }
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw bad("the port must be 1-65535, got '\(portText)'") }
            port = p
        } else {
            port = tls ? 8883 : 1883
        }
    }

    /// "mqtts://cam@broker.lan:8883" (never a password).
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(tls ? "mqtts" : "mqtt")://\(user.map { "\($0)@" } ?? "")\(h):\(port)"
    }
}

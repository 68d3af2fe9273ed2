// One libmosquitto client handle (through CMosquitto): options, last will,
// connect, the blocking network loop with libmosquitto's reconnect back-off,
// publish, disconnect, and its three callbacks. No queueing or retry policy of
// its own beyond libmosquitto's (MQTTPublisher decides what to send when).
// publish() may be called from any thread (mosquitto_threaded_set); the
// callbacks run on the thread inside loopForever().
import CMosquitto
import Foundation

final class MosquittoClient: @unchecked Sendable {
    struct Callbacks {
        var connected: (_ code: Int32) -> Void       // CONNACK: 0 accepted, else the refusal code
        var disconnected: (_ rc: Int32) -> Void      // 0 after our disconnect(), else the connection was lost
        var published: (_ mid: Int32) -> Void        // QoS 1: PUBACK received; QoS 0: written
    }

    private static let libraryReady: Bool = { mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue }()

    private let handle: OpaquePointer
    private let callbacks: Callbacks

    init(settings: MQTTSettings, will: MQTTMessage, callbacks: Callbacks) throws(MQTTClientError) {
        guard Self.libraryReady else { throw .setup("mosquitto_lib_init failed") }
        guard let h = mosquitto_new(settings.clientID, true, nil) else {
            throw .setup("mosquitto_new failed (\(String(cString: strerror(errno))))")
        }
        handle = h
        self.callbacks = callbacks
        mosquitto_user_data_set(h, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_threaded_set(h, true)
        mosquitto_reconnect_delay_set(h, UInt32(settings.reconnectDelay.min), UInt32(settings.reconnectDelay.max), true)
        try check(mosquitto_username_pw_set(h, settings.url.user, settings.password), "setting the user name")
        try check(will.payload.withUnsafeBytes {
            mosquitto_will_set(h, will.topic, Int32($0.count), $0.baseAddress, Int32(will.qos), will.retain)
        }, "setting the last will")
        if settings.url.tls {
            if let ca = settings.caFile {
                try check(mosquitto_tls_set(h, ca, nil, nil, nil, nil), "--mqtt-ca \(ca)")
            } else {
                try check(mosquitto_int_option(h, MOSQ_OPT_TLS_USE_OS_CERTS, 1), "using the system CA certificates")
            }
        }
        mosquitto_connect_callback_set(h) { _, user, code in
            guard let user else { return }
            Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue().callbacks.connected(code)
        }
        mosquitto_disconnect_callback_set(h) { _, user, rc in
            guard let user else { return }
            Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue().callbacks.disconnected(rc)
        }
        mosquitto_publish_callback_set(h) { _, user, mid in
            guard let user else { return }
            Unmanaged<MosquittoClient>.fromOpaque(user).takeUnretainedValue().callbacks.published(mid)
        }
    }

    deinit { mosquitto_destroy(handle) }

    private func check(_ rc: Int32, _ what: String) throws(MQTTClientError) {
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw .setup("\(what): \(Self.text(rc))") }
    }

    /// Blocking first connection attempt (DNS, TCP, TLS, CONNECT sent). MOSQ_ERR_SUCCESS or the failure.
    func connect(host: String, port: Int, keepalive: Int) -> Int32 {
        mosquitto_connect(handle, host, Int32(port), Int32(keepalive))
    }

    /// Runs the network until disconnect() (returns MOSQ_ERR_SUCCESS) or an error
    /// libmosquitto does not retry itself (TLS, protocol, lookup during a session).
    func loopForever() -> Int32 { mosquitto_loop_forever(handle, 1000, 1) }

    func reconnect() -> Int32 { mosquitto_reconnect(handle) }

    /// Hands one message to libmosquitto; `mid` is what `published` will report.
    func publish(_ m: MQTTMessage) -> (rc: Int32, mid: Int32) {
        var mid: Int32 = 0
        let rc = m.payload.withUnsafeBytes {
            mosquitto_publish(handle, &mid, m.topic, Int32($0.count), $0.baseAddress, Int32(m.qos), m.retain)
        }
        return (rc, mid)
    }

    /// A clean DISCONNECT: the broker does not send the last will; loopForever returns.
    func disconnect() { _ = mosquitto_disconnect(handle) }

    static let notConnected = MOSQ_ERR_NO_CONN.rawValue

    static func text(_ rc: Int32) -> String {
        if rc == MOSQ_ERR_ERRNO.rawValue { return String(cString: strerror(errno)) }
        return String(cString: cmq_error_text(rc))
    }

    /// text(rc) plus what to check, for the failures a user can fix.
    static func explained(_ rc: Int32, tls: Bool) -> String {
        let t = text(rc)
        if rc == MOSQ_ERR_TLS.rawValue {
            return "\(t) (does --mqtt-ca hold the CA that signed the broker's certificate, or the system CAs when it is not given; "
                + "does the certificate name the host in --mqtt; is that port TLS at all?)"
        }
        if rc == MOSQ_ERR_EAI.rawValue { return "\(t) (no such host name? check --mqtt and DNS)" }
        if rc == MOSQ_ERR_ERRNO.rawValue, tls == false { return "\(t) (is the broker running and listening on that port?)" }
        return t
    }

    static func refusal(_ code: Int32) -> String { String(cString: cmq_connack_text(code)) }

    static var libraryVersion: String {
        var buf = [CChar](repeating: 0, count: 32)
        cmq_version(&buf, Int32(buf.count))
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

public enum MQTTClientError: Error, Sendable, CustomStringConvertible {
    case setup(String)
    public var description: String {
        switch self { case .setup(let m): return "mqtt: \(m)" }
    }
}

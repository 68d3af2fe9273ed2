// The ways an MQTT setting can be wrong, each naming the value and the fix.
// fer-cam maps them to sysexits: usage errors exit 64, a missing CA file 66.
import Foundation

public enum MQTTConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case badURL(value: String, reason: String)
    case passwordInURL(value: String)
    case badTopicPrefix(value: String, reason: String)
    case badName(value: String)
    case badQoS(Int)
    case badQueueSize(Int)
    case badStateRate(Double)
    case caFileMissing(path: String)
    case caWithoutTLS(url: String)
    case optionWithoutURL(String)

    /// 66 for a missing file, 64 for everything else.
    public var exitCode: Int32 {
        if case .caFileMissing = self { return 66 }
        return 64
    }

    public var description: String {
        switch self {
        case .badURL(let v, let why):
            return "--mqtt '\(v)': \(why); expected \(MQTTURL.form), e.g. mqtt://broker.lan or mqtts://cam@broker.lan:8883"
        case .passwordInURL(let v):
            let shown = v.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
            return "--mqtt '\(shown)': a password does not go in the URL (anyone can read it with ps); "
                + "write mqtt-password = … in the --config file or set FERCAM_MQTT_PASSWORD, and give --mqtt mqtt://user@host"
        case .badTopicPrefix(let v, let why):
            return "--mqtt-topic '\(v)': \(why); give a topic prefix like fer-cam/hall (no +, #, leading or trailing /)"
        case .badName(let v):
            return "--name '\(v)': use letters, digits, '-' and '_' only (it becomes part of MQTT topics and Home Assistant ids), e.g. --name hall"
        case .badQoS(let q):
            return "--mqtt-qos must be 0 or 1, got \(q)"
        case .badQueueSize(let n):
            return "--mqtt-queue must be in 1...1000000, got \(n)"
        case .badStateRate(let r):
            return "--mqtt-state-rate must be in (0, 50] per second, got \(r)"
        case .caFileMissing(let path):
            return "--mqtt-ca \(path): no such file (give the broker's CA certificate in PEM form, or leave --mqtt-ca out to use the system CAs)"
        case .caWithoutTLS(let url):
            return "--mqtt-ca needs a TLS broker URL (mqtts://…), got --mqtt \(url)"
        case .optionWithoutURL(let flags):
            return "\(flags) need --mqtt mqtt://host"
        }
    }
}

// ServerSentEvent: formats one message of the `text/event-stream` wire format
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). No I/O here.

enum ServerSentEvent {
    /// `id:` / `event:` lines, then one `data:` line per line of `data`, then a blank line.
    static func format(id: Int? = nil, event: String? = nil, data: String) -> String {
        var out = ""
        if let id { out += "id: \(id)\n" }
        if let event { out += "event: \(event)\n" }
        var line = ""
        for ch in data {
            if ch == "\n" || ch == "\r" || ch == "\r\n" {
                out += "data: \(line)\n"
                line = ""
            } else {
                line.append(ch)
            }
        }
        out += "data: \(line)\n\n"
        return out
    }

    /// A comment line: ignored by EventSource, keeps proxies and dead-peer detection going.
    static func comment(_ text: String) -> String { ": \(text)\n\n" }

    /// Tells EventSource how long to wait before reconnecting.
    static func retry(milliseconds: Int) -> String { "retry: \(milliseconds)\n\n" }
}

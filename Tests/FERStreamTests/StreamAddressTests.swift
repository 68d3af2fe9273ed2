// StreamAddress parsing and the loopback/token rule.
import Testing
@testable import FERStream

struct StreamAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), ("[::1]:8080", "::1", 8080), (":8080", "127.0.0.1", 8080),
        ("8080", "127.0.0.1", 8080), ("localhost:0", "localhost", 0), ("0.0.0.0:9000", "0.0.0.0", 9000),
        (" 192.168.1.5:80 ", "192.168.1.5", 80),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let a = try StreamAddress(parsing: text)
        #expect(a.host == host)
        #expect(a.port == port)
    }

    @Test(arguments: ["", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:http", "::1:8080", "[::1]8080", "[::1:8080", ":"])
    func refusesMalformed(text: String) {
        #expect(throws: StreamConfigError.self) { try StreamAddress(parsing: text) }
    }

    @Test func loopbackNeedsNoTokenOthersDo() throws {
        for text in ["127.0.0.1:1", "127.5.6.7:1", "[::1]:1", "localhost:1"] {
            let a = try StreamAddress(parsing: text)
            #expect(a.isLoopback, "\(text)")
            try a.validate(token: nil)
        }
        for text in ["0.0.0.0:8080", "[::]:8080", "192.168.0.2:8080", "128.0.0.1:1", "example.org:80"] {
            let a = try StreamAddress(parsing: text)
            #expect(!a.isLoopback, "\(text)")
            #expect(throws: StreamConfigError.tokenRequired(a)) { try a.validate(token: nil) }
            try a.validate(token: "secret")
        }
        #expect(throws: StreamConfigError.emptyToken) { try StreamAddress(parsing: ":1").validate(token: "") }
    }

    @Test func theTokenErrorTellsHowToFixIt() throws {
        let a = try StreamAddress(parsing: "0.0.0.0:8080")
        let text = StreamConfigError.tokenRequired(a).description
        #expect(text.contains("--stream-token"))
        #expect(text.contains("0.0.0.0:8080"))
    }

    @Test func serverInitRefusesUnsafeOrBadConfiguration() throws {
        let open = try StreamAddress(parsing: "0.0.0.0:0")
        #expect(throws: StreamConfigError.tokenRequired(open)) {
            _ = try StreamServer(hub: StreamHub(), address: open, token: nil, fpsCap: nil)
        }
        #expect(throws: StreamConfigError.badFPSCap(0)) {
            _ = try StreamServer(hub: StreamHub(), address: StreamAddress(host: "127.0.0.1", port: 0), token: nil, fpsCap: 0)
        }
        _ = try StreamServer(hub: StreamHub(), address: open, token: "t", fpsCap: 15)
    }
}

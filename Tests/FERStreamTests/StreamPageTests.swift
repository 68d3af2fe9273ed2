// The page is self-contained and passes a token on safely.
import Testing
@testable import FERStream

struct StreamPageTests {
    @Test func hasNoExternalAssetsAndUsesTheLiveEndpoints() {
        let html = StreamPage.html(tokenQuery: "")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))
        #expect(!html.contains("<link") && !html.contains("<script src"))
        #expect(html.contains("<img id=\"live\" src=\"stream.mjpg\""))
        #expect(html.contains("new EventSource(\"events\" + Q)"))
        #expect(html.contains("name=\"viewport\""), "phone-sized screens")
        #expect(html.contains("@media (max-width"))
        #expect(html.contains("const Q = \"\";"))
        #expect(!html.contains("{{"))
    }

    @Test func tokenQueryIsEscapedForHTMLAndJS() {
        let query = StreamServer.tokenQuery("a\"b<c>&d é")
        #expect(query == "?token=a%22b%3Cc%3E%26d%20%C3%A9")
        let html = StreamPage.html(tokenQuery: #"?token="x"<script>"#)
        #expect(html.contains(#"src="stream.mjpg?token=&quot;x&quot;&lt;script&gt;""#))
        #expect(html.contains(#"const Q = "?token=\"x\"\u003cscript\u003e";"#))
    }

    @Test func constantTimeEqualityIsEquality() {
        #expect(constantTimeEqual("abc", "abc"))
        #expect(!constantTimeEqual("abc", "abd"))
        #expect(!constantTimeEqual("abc", "abcd"))
        #expect(!constantTimeEqual("", "a"))
        #expect(constantTimeEqual("", ""))
    }
}

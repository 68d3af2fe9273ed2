// The test-side Prometheus checker must reject what Prometheus would reject.
import Testing

struct PrometheusTextCheckerTests {
    @Test func acceptsAWellFormedExposition() throws {
        let text = """
        # HELP a_total Things.
        # TYPE a_total counter
        a_total 3
        # TYPE h histogram
        h_bucket{stage="x",le="0.1"} 1
        h_bucket{stage="x",le="+Inf"} 2
        h_sum{stage="x"} 0.3
        h_count{stage="x"} 2
        g{path="a\\"b\\\\c"} -1.5e-3

        """
        let (samples, types) = try PrometheusTextChecker.parse(text)
        #expect(samples.count == 6)
        #expect(types["h"] == "histogram")
        #expect(samples.last?.labels["path"] == "a\"b\\c")
    }

    @Test(arguments: [
        "1bad 3\n", "a{b=\"1\" 3\n", "a{b=1} 3\n", "a three\n", "a 3", "a{b=\"\\x\"} 1\n",
        "# TYPE a counter\n# TYPE a counter\na 1\n", "a 1\n# TYPE a counter\n", "# TYPE a countr\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: PrometheusFormatError.self) { try PrometheusTextChecker.parse(text) }
    }
}

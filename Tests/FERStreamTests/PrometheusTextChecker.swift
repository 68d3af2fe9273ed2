// A strict checker of the Prometheus text exposition format 0.0.4 (test support): line
// syntax (names, labels, escapes, values), one TYPE per family before its samples, and
// histogram consistency (cumulative buckets, +Inf bucket equal to _count, _sum present).

struct PrometheusSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

struct PrometheusFormatError: Error, CustomStringConvertible {
    let line: Int
    let why: String
    var description: String { "metrics line \(line): \(why)" }
}

enum PrometheusTextChecker {
    static func parse(_ text: String) throws -> (samples: [PrometheusSample], types: [String: String]) {
        guard text.hasSuffix("\n") else { throw PrometheusFormatError(line: 0, why: "text must end with a newline") }
        var samples: [PrometheusSample] = []
        var types: [String: String] = [:]
        var familiesSeen: Set<String> = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let line = String(raw), no = n + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
                if parts.count >= 2 && (parts[1] == "HELP" || parts[1] == "TYPE") {
                    guard parts.count >= 3, isMetricName(parts[2]) else { throw PrometheusFormatError(line: no, why: "bad \(parts[1]) line '\(line)'") }
                    if parts[1] == "TYPE" {
                        guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                            throw PrometheusFormatError(line: no, why: "bad TYPE '\(line)'")
                        }
                        guard types[parts[2]] == nil else { throw PrometheusFormatError(line: no, why: "second TYPE for \(parts[2])") }
                        guard !familiesSeen.contains(parts[2]) else { throw PrometheusFormatError(line: no, why: "TYPE for \(parts[2]) after its samples") }
                        types[parts[2]] = parts[3]
                    }
                }
                continue
            }
            let sample = try parseSample(line, no: no)
            familiesSeen.insert(family(of: sample.name, types: types))
            samples.append(sample)
        }
        try checkHistograms(samples, types: types)
        return (samples, types)
    }

    static func family(of name: String, types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f == ":" || ("a"..."z").contains(f) || ("A"..."Z").contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func isLabelName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || ("a"..."z").contains(f) || ("A"..."Z").contains(f) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func parseValue(_ s: Substring) -> Double? {
        switch s {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(s)
        }
    }

    static func parseSample(_ line: String, no: Int) throws -> PrometheusSample {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] != "{", chars[i] != " " { i += 1 }
        let name = String(chars[0..<i])
        guard isMetricName(name) else { throw PrometheusFormatError(line: no, why: "bad metric name '\(name)'") }
        var labels: [String: String] = [:]
        if i < chars.count, chars[i] == "{" {
            i += 1
            while true {
                guard i < chars.count else { throw PrometheusFormatError(line: no, why: "unterminated label set") }
                if chars[i] == "}" { i += 1; break }
                var j = i
                while j < chars.count, chars[j] != "=" { j += 1 }
                let label = String(chars[i..<j])
                guard isLabelName(label), j + 1 < chars.count, chars[j + 1] == "\"" else {
                    throw PrometheusFormatError(line: no, why: "bad label '\(label)'")
                }
                j += 2
                var value = ""
                while true {
                    guard j < chars.count else { throw PrometheusFormatError(line: no, why: "unterminated label value") }
                    let c = chars[j]
                    if c == "\"" { j += 1; break }
                    if c == "\\" {
                        guard j + 1 < chars.count else { throw PrometheusFormatError(line: no, why: "dangling escape") }
                        switch chars[j + 1] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw PrometheusFormatError(line: no, why: "bad escape \\\(chars[j + 1])")
                        }
                        j += 2
                        continue
                    }
                    value.append(c)
                    j += 1
                }
                guard labels[label] == nil else { throw PrometheusFormatError(line: no, why: "label \(label) twice") }
                labels[label] = value
                i = j
                if i < chars.count, chars[i] == "," { i += 1 }
            }
        }
        let rest = String(chars[i...]).split(separator: " ", omittingEmptySubsequences: false)
        guard rest.count == 2 || rest.count == 3, rest[0].isEmpty || rest.count == 2 else {
            throw PrometheusFormatError(line: no, why: "expected 'name{labels} value [timestamp]', got '\(line)'")
        }
        let fields = rest.filter { !$0.isEmpty }
        guard fields.count == 1 || fields.count == 2, let value = parseValue(fields[0]) else {
            throw PrometheusFormatError(line: no, why: "bad value in '\(line)'")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw PrometheusFormatError(line: no, why: "bad timestamp in '\(line)'") }
        return PrometheusSample(name: name, labels: labels, value: value)
    }

    static func checkHistograms(_ samples: [PrometheusSample], types: [String: String]) throws {
        for (base, type) in types where type == "histogram" {
            var series: [[String: String]: [(le: Double, count: Double)]] = [:]
            var counts: [[String: String]: Double] = [:]
            var sums: Set<[String: String]> = []
            for s in samples {
                var key = s.labels
                if s.name == base + "_bucket" {
                    guard let le = key.removeValue(forKey: "le"), let bound = parseValue(Substring(le)) else {
                        throw PrometheusFormatError(line: 0, why: "\(base)_bucket without a numeric le label")
                    }
                    series[key, default: []].append((bound, s.value))
                } else if s.name == base + "_count" {
                    counts[key] = s.value
                } else if s.name == base + "_sum" {
                    sums.insert(key)
                }
            }
            for (key, buckets) in series {
                let sorted = buckets.sorted { $0.le < $1.le }
                guard sorted.last?.le == .infinity else { throw PrometheusFormatError(line: 0, why: "\(base)\(key) has no +Inf bucket") }
                for k in 1..<sorted.count where sorted[k].count < sorted[k - 1].count {
                    throw PrometheusFormatError(line: 0, why: "\(base)\(key) buckets are not cumulative")
                }
                guard counts[key] == sorted.last?.count else { throw PrometheusFormatError(line: 0, why: "\(base)\(key): +Inf bucket differs from _count") }
                guard sums.contains(key) else { throw PrometheusFormatError(line: 0, why: "\(base)\(key) has no _sum") }
            }
        }
    }
}

import Foundation

/// Merging the JUnit reports of regression shards into one (`loom regress --merge`).
public enum JUnitReport {
    public struct Merged {
        public let text: String
        public let tests: Int
        public let failures: Int
    }

    public enum MergeError: Error, CustomStringConvertible {
        case notAReport(Int)
        public var description: String {
            switch self {
            case let .notAReport(k): return "report \(k + 1) is not a JUnit <testsuite> report"
            }
        }
    }

    /// One `<testsuite>` holding every test case of `reports`, with the totals summed.
    public static func merge(_ reports: [String], suite: String = "loom-regress") throws -> Merged {
        var tests = 0, failures = 0, time = 0.0, cases = ""
        for (k, report) in reports.enumerated() {
            guard let open = report.range(of: "<testsuite "), let openEnd = report[open.upperBound...].range(of: ">"),
                  let close = report.range(of: "</testsuite>", options: .backwards) else { throw MergeError.notAReport(k) }
            let header = String(report[open.upperBound..<openEnd.lowerBound])
            tests += Int(attribute("tests", in: header) ?? "") ?? 0
            failures += Int(attribute("failures", in: header) ?? "") ?? 0
            time += Double(attribute("time", in: header) ?? "") ?? 0
            cases += report[openEnd.upperBound..<close.lowerBound].trimmingCharacters(in: .newlines) + "\n"
        }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<testsuite name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\" time=\"\(String(format: "%.3f", time))\">\n"
        text += cases + "</testsuite>\n"
        return Merged(text: text, tests: tests, failures: failures)
    }

    /// `text` escaped for a double-quoted XML attribute or for element text (`'` may stay).
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func attribute(_ name: String, in header: String) -> String? {
        guard let start = header.range(of: "\(name)=\"") else { return nil }
        let rest = header[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

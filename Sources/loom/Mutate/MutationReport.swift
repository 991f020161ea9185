import Foundation
import LoomCosim

/// `loom mutate`'s reports: JUnit (each mutant a test case that fails when it survives, so
/// a CI shows the holes) and JSON (everything, for scripts).
enum MutationReport {
    static func junit(_ outcomes: [MutantOutcome], block: String) -> String {
        let esc = JUnitReport.escaped
        let survivors = outcomes.filter { !$0.killed }.count
        let time = outcomes.reduce(0) { $0 + $1.seconds }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuite name=\"loom-mutate-\(block)\" tests=\"\(outcomes.count)\" failures=\"\(survivors)\" time=\"\(String(format: "%.3f", time))\">\n"
        for (k, o) in outcomes.enumerated() {
            x += "  <testcase classname=\"loom-mutate-\(block)\" name=\"mutant \(k + 1): \(esc(o.mutation.description))\" time=\"\(String(format: "%.3f", o.seconds))\">\n"
            if let by = o.killedBy {
                x += "    <system-out>killed by \(esc(by))\(o.cycle.map { " at cycle \($0)" } ?? ""): \(esc(o.message))</system-out>\n"
            } else {
                x += "    <failure message=\"survived\">\(esc(o.diff))</failure>\n"
            }
            x += "  </testcase>\n"
        }
        return x + "</testsuite>\n"
    }

    struct Entry: Codable {
        let index: Int
        let kind: String
        let module: String
        let detail: String
        let killed: Bool
        let killedBy: String?
        let cycle: Int?
        let message: String
        let seconds: Double
        let diff: String
    }

    struct Report: Codable {
        let block: String
        let seed: UInt64
        let mutants: Int
        let killed: Int
        let killRate: Double
        let outcomes: [Entry]
    }

    static func json(_ outcomes: [MutantOutcome], block: String, seed: UInt64) throws -> String {
        let killed = outcomes.filter(\.killed).count
        let report = Report(block: block, seed: seed, mutants: outcomes.count, killed: killed,
                            killRate: outcomes.isEmpty ? 0 : Double(killed) / Double(outcomes.count),
                            outcomes: outcomes.enumerated().map { k, o in
                                Entry(index: k + 1, kind: o.mutation.kind.rawValue, module: o.mutation.moduleName, detail: o.mutation.detail,
                                      killed: o.killed, killedBy: o.killedBy, cycle: o.cycle, message: o.message, seconds: o.seconds, diff: o.diff)
                            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}

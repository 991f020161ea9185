/// What a nextpnr-ecp5 log says about timing: the clock's Fmax and its critical path.
struct NextpnrReport {
    /// The last "Max frequency for clock" figure, in MHz.
    let fmax: Double?
    /// The register (or input) the critical path starts at, as the netlist names it.
    let from: String
    /// The cell and pin it ends at.
    let to: String
    /// Cells on the path: LUTs, wide-function muxes and carry cells (a 32-bit compare is 16 carry cells).
    let logicLevels: Int
    let logicNanoseconds: Double, routingNanoseconds: Double

    init(log: String) {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        fmax = lines.last { $0.contains("Max frequency for clock") }.flatMap { line in
            let words = line.split(separator: " ")
            return words.firstIndex(of: "MHz").flatMap { Double(words[$0 - 1]) }
        }
        // The last critical path report (the clock's, posedge to posedge).
        let start = lines.lastIndex { $0.contains("Critical path report for clock") } ?? lines.endIndex
        var from = "?", to = "?", levels = 0, logic = 0.0, routing = 0.0
        for line in lines[start...] {
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 2, words[0] == "Info:" else { continue }
            switch words[1] {
            case "routing" where from == "?" && words.count >= 6 && words[4] == "Net": from = words[5]
            case "logic": levels += 1
            case "Sink" where words.count >= 3: to = Self.shortCellName(words[2])
            default: break
            }
            // "Info: 3.35 ns logic, 11.69 ns routing" closes the report.
            if let i = words.firstIndex(of: "logic,"), i >= 2, i + 3 < words.count, words[i + 3] == "routing" {
                logic = Double(words[i - 2]) ?? 0
                routing = Double(words[i + 1]) ?? 0
                break
            }
        }
        self.from = from
        self.to = to
        logicLevels = levels
        logicNanoseconds = logic
        routingNanoseconds = routing
    }

    /// `xwr_raddr_TRELLIS_FF_Q_21.CE` → `xwr_raddr FF (CE)`: the signal a mapped cell drives,
    /// without the names Yosys derives for the cells of its logic cone.
    static func shortCellName(_ cell: String) -> String {
        let (name, pin) = cell.lastIndex(of: ".").map { (String(cell[..<$0]), String(cell[cell.index(after: $0)...])) } ?? (cell, "")
        for marker in ["_TRELLIS_FF", "_DP16KD", "_TRELLIS_DPR16X4", "_MULT18X18D", "_LUT4", "_PFUMX", "_L6MUX21", "_CCU2C"] {
            if let r = name.range(of: marker) {
                let kind = marker == "_TRELLIS_FF" ? "FF" : String(marker.dropFirst())
                return "\(name[..<r.lowerBound]) \(kind) (\(pin))"
            }
        }
        return pin.isEmpty ? name : "\(name) (\(pin))"
    }
}

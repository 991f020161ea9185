import Loom
import LoomVerilog
import Examples
import Foundation
let name = CommandLine.arguments[1]
let d = try Examples.design(named: name)!
for (f, t) in VerilogEmitter.emit(d) { try t.write(toFile: "/tmp/v/\(f)", atomically: true, encoding: .utf8) }

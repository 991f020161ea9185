import ArgumentParser
import Foundation
import Loom
import LoomCLI
import Testing

/// A design that does not elaborate: a 24-bit register driven with 25 bits.
private struct TooWide: Module {
    var name: String { "too_wide" }
    func body(_ m: ModuleBuilder) {
        let a = m.input("a", width: 24)
        let count = m.register("count", width: 24, reset: 0)
        count.drive(a.zeroExtended(to: 25))
        m.output("q", width: 24).drive(count)
    }
}

/// A design whose module is not named as the project names it.
private struct Inverter: Module {
    var name: String { "inverter" }
    func body(_ m: ModuleBuilder) {
        m.output("q", width: 8).drive(~m.input("a", width: 8))
    }
}

/// LoomCLI in process, over a project of this file's own.
@Suite(.serialized) struct LoomCommandTests {
    /// Parses and runs `arguments` as the command line would; returns its exit code and message.
    func run(_ arguments: [String]) -> (code: Int32, message: String) {
        do {
            var command = try LoomCommand.parseAsRoot(arguments)
            try command.run()
            return (0, "")
        } catch {
            return (LoomCommand.exitCode(for: error).rawValue, LoomCommand.message(for: error))
        }
    }

    @Test func aDesignThatDoesNotElaborateIsAnErrorAtTheUsersLine() throws {
        LoomCommand.project = LoomProject(name: "mychip", designs: [ProjectDesign("too_wide") { try elaborate(TooWide()) }])
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("loom-too-wide-\(getpid())").path
        let r = run(["emit", "too_wide", "--out", out])
        #expect(r.code == 1)
        #expect(r.message == """
            design 'too_wide' did not elaborate:
            LoomCLITests/LoomCommandTests.swift:13: error: width mismatch: 'count' is 24 bits but is driven with 25 bits
            """)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theProjectNamesTheCommandAndItsDesigns() throws {
        LoomCommand.project = LoomProject(name: "mychip", designs: [ProjectDesign("too_wide") { try elaborate(TooWide()) }])
        #expect(LoomCommand.helpMessage().contains("USAGE: mychip <subcommand>"))
        let r = run(["emit", "nope"])
        #expect(r.code == 64)
        #expect(r.message.contains("The value 'nope' is invalid for '<designs>'"))
        #expect(r.message.contains("too_wide"))
    }

    @Test func lintFindsTheTopModuleByItsOwnName() throws {
        LoomCommand.project = LoomProject(name: "mychip", designs: [ProjectDesign("not") { try elaborate(Inverter()) }])
        let r = run(["lint", "not"])
        #expect(r.code == 0, "\(r.message)")
    }
}

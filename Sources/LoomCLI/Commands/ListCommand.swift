import ArgumentParser

struct ListCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List the designs \(LoomCommand.project.name) can emit and the tests sim and regress run.")
    }

    func run() throws {
        let project = LoomCommand.project
        print("designs (emit, lint, synth):")
        for d in project.designs { print("  \(d.name)\(d.note.isEmpty ? "" : "  (\(d.note))")") }
        print("lockstep tests (sim, regress):")
        for t in project.tests { print("  \(t.name)") }
    }
}

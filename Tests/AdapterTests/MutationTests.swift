import Adapter
import Foundation
import Loom
import LoomCosim
import LoomVerilog
import Testing

/// `Mutation`: the sites of a block, the choice of mutants, and what each kind changes in
/// the emitted Verilog.
@Suite struct MutationTests {
    let walker = try! elaborate(SGWalker())

    @Test func everyKindHasSitesInTheAdapterBlocks() throws {
        var kinds = Set<Mutation.Kind>()
        for design in [walker, try elaborate(CompletionEngine())] { kinds.formUnion(Mutation.sites(in: design).map(\.kind)) }
        #expect(kinds == Set(Mutation.Kind.allCases))
    }

    @Test func theChoiceFollowsTheSeed() throws {
        let sites = Mutation.sites(in: walker)
        let a = Mutation.choose(12, from: sites, seed: 7), b = Mutation.choose(12, from: sites, seed: 7), c = Mutation.choose(12, from: sites, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count == 12)
        #expect(Mutation.choose(sites.count + 5, from: sites, seed: 1).count == sites.count)
    }

    /// Each kind, once, on the walker: the mutant's Verilog differs from the original in the
    /// way the kind says, and stays clean under `verilator --lint-only -Wall`.
    @Test(arguments: Mutation.Kind.allCases)
    func eachKindChangesWhatItSaysAndLintsClean(_ kind: Mutation.Kind) throws {
        let site = try #require(Mutation.sites(in: walker).first { $0.kind == kind })
        let original = VerilogEmitter.emitSingleText(walker)
        let mutant = VerilogEmitter.emitSingleText(site.applied(to: walker))
        let removed = Set(original.split(separator: "\n")).subtracting(mutant.split(separator: "\n"))
        let added = Set(mutant.split(separator: "\n")).subtracting(original.split(separator: "\n"))
        #expect(!removed.isEmpty && !added.isEmpty, "\(site) changed nothing")
        let new = added.joined(separator: "\n"), old = removed.joined(separator: "\n")
        switch kind {
        case .comparisonNegated: #expect([">=", "<=", "!=", "==", " < ", " > "].contains { new.contains($0) })
        case .comparisonBoundary: #expect(new.contains("<=") || new.contains(">=") || old.contains("<=") || old.contains(">="))
        case .andOrSwapped: #expect(new.contains("|") || new.contains("&"))
        case .addSubSwapped: #expect(new.contains(" - ") || new.contains(" + "))
        case .constantOffByOne, .resetValueChanged: #expect(new.contains("'d") || new.contains("'h"))
        case .muxArmsSwapped: #expect(new.contains("?"))
        case .updateDropped: #expect(removed.count > added.count || mutant.count < original.count)
        case .conditionTermDropped: #expect(new.count < old.count)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-mutant-\(getpid())-\(kind)")
        try? FileManager.default.removeItem(at: dir)
        let files = try ExternalTools.write(site.applied(to: walker), to: dir, singleFile: true)
        let lint = try ExternalTools.lint(top: "sg_walker", files: files)
        #expect(lint.succeeded && !lint.output.contains("%Warning"), "\(site): \(lint.output)")
    }

    @Test func aResetValueMutantFlipsTheLowestBit() throws {
        let site = try #require(Mutation.sites(in: walker).first { $0.kind == .resetValueChanged })
        let mutant = site.applied(to: walker)
        guard case let .register(before?) = walker.modules[site.module].signals[site.signal!].kind,
              case let .register(after?) = mutant.modules[site.module].signals[site.signal!].kind else {
            Issue.record("not a register")
            return
        }
        #expect(after.words[0] == before.words[0] ^ 1)
    }

    /// A mutant inside the adapter also meets the block's own tests: cut out of the adapter,
    /// each block (in the configuration the adapter builds it) is exactly the block's own Verilog.
    @Test func theAdaptersBlocksAloneAreTheBlocksOwnVerilog() throws {
        let adapter = try elaborate(Adapter())
        let blocks: [(String, Design)] = [("mkey_translator", try elaborate(MKeyTranslator())), ("sg_walker", walker),
                                          ("exec_unit", try elaborate(ExecUnit())), ("dc_initiator", try elaborate(DCInitiator())),
                                          ("completion_engine_ack_timeout", try elaborate(CompletionEngine(ackTimeout: 65536)))]
        for (name, own) in blocks {
            let index = try #require(adapter.modules.firstIndex { $0.name == name }, "\(name) is not in the adapter")
            #expect(VerilogEmitter.emitSingleText(adapter.submodule(index)) == VerilogEmitter.emitSingleText(own), "\(name)")
        }
    }
}

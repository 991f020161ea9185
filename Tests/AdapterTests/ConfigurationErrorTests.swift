import Adapter
import Loom
import Testing

/// A bad generator configuration is an elaboration error that names the parameter.
@Suite struct ConfigurationErrorTests {
    func errors(_ module: some Module) -> [String] { diagnostics(of: module).map(\.message) }

    @Test func badParametersAreReported() {
        #expect(errors(ExecUnit(qps: 257)) == ["exec_unit: QPS must be between 1 and 256 (wr_qp is 8 bits), got 257"])
        #expect(errors(DCInitiator(qps: 0)) == ["dc_initiator: QPS must be between 1 and 256 (wr_qp is 8 bits), got 0"])
        #expect(errors(DCInitiator(connectTimeout: 0)) == ["dc_initiator: CONNECT_TIMEOUT must be between 1 and 2^24, got 0"])
        #expect(errors(DCInitiator(connectRetries: 300)) == ["dc_initiator: CONNECT_RETRIES must be between 0 and 255, got 300"])
        #expect(errors(CompletionEngine(cqDepth: 48)) == ["completion_engine: CQ_DEPTH must be a power of two between 2 and 65536, got 48"])
        #expect(errors(CompletionEngine(qps: 300)).contains("completion_engine: QPS must be between 1 and 256 (post_qp is 8 bits), got 300"))
        #expect(errors(CompletionEngine(ackTimeout: -1)) == ["completion_engine: ACK_TIMEOUT must be between 0 and 2^24, got -1"])
        #expect(errors(SGWalker(maxGroup: 0)) == ["sg_walker: MAX_GROUP must be between 1 and 16, got 0"])
        #expect(errors(SGWalker(maxVisits: 1 << 63)) == ["sg_walker: MAX_VISITS must be between 1 and 2^63 - 1, got 9223372036854775808"])
        #expect(errors(MKeyTranslator(maxIndirection: 0)) == ["mkey_translator: MAX_INDIRECTION must be between 1 and 8, got 0"])
        #expect(errors(MKeyTranslator(mkeys: 70000)) == ["mkey_translator: MKEYS must be between 1 and 65536, got 70000"])
        #expect(errors(CompletionEngine(records: 1)) == ["completion_engine: RECORDS must be between 2 and 4096, got 1"])
        // Every parameter out of range is reported, and nothing is built from them.
        #expect(errors(MKeyTranslator(mkeys: 0, klmEntries: 0)) == ["mkey_translator: MKEYS must be between 1 and 65536, got 0",
                                                                  "mkey_translator: KLM_ENTRIES must be between 1 and 65536, got 0"])
    }

    @Test func otherConfigurationsElaborate() {
        #expect(errors(CompletionEngine(qps: 4, records: 16, cqDepth: 8)).isEmpty)
        #expect(errors(CompletionEngine(ackTimeout: 1)).isEmpty)
        #expect(errors(CompletionEngine(ackTimeout: 65536)).isEmpty)
        #expect(errors(SGWalker(maxGroup: 2, maxVisits: 1000)).isEmpty)
        #expect(errors(MKeyTranslator(mkeys: 16, klmEntries: 32, maxIndirection: 3, imaicl: false)).isEmpty)
    }
}

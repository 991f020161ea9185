@testable import LoomCLI
import Testing

/// `synth` reads Fmax and the critical path from nextpnr's log.
@Suite struct NextpnrReportTests {
    /// Lines of a real nextpnr-ecp5 0.7 log (dc_initiator, seed 1), with the middle of the path cut.
    static let log = """
        Info: Critical path report for clock 'clk' (posedge -> posedge):
        Info:       type curr  total name
        Info:   clk-to-q  0.52  0.52 Source peer_key_13_TRELLIS_FF_Q_62.Q
        Info:    routing  0.83  1.36 Net peer_key_13[62] (27,16) -> (27,16)
        Info:                          Sink ctl_dc_key_TRELLIS_FF_Q_62_DI_PFUMX_Z_BLUT_LUT4_Z_C_LUT4_Z_D_LUT4_Z_D_LUT4_Z_D_LUT4_Z.A
        Info:      logic  0.24  1.60 Source ctl_dc_key_TRELLIS_FF_Q_62_DI_PFUMX_Z_BLUT_LUT4_Z_C_LUT4_Z_D_LUT4_Z_D_LUT4_Z_D_LUT4_Z.F
        Info:    routing  0.62  2.22 Net ctl_dc_key_TRELLIS_FF_Q_62_DI_PFUMX_Z_BLUT_LUT4_Z_C_LUT4_Z_D_LUT4_Z_D_LUT4_Z_D[2] (27,16) -> (27,16)
        Info:                          Sink ctl_dc_key_TRELLIS_FF_Q_62_DI_PFUMX_Z_BLUT_LUT4_Z_C_LUT4_Z_D_LUT4_Z_D_LUT4_Z.D
        Info:      logic  0.24 13.24 Source wr_ready_LUT4_Z.F
        Info:    routing  1.80  15.04 Net wr_ready (61,12) -> (47,16)
        Info:                          Sink xwr_raddr_TRELLIS_FF_Q_21.CE
        Info:      setup  0.00  15.04 Source xwr_raddr_TRELLIS_FF_Q_21.CE
        Info: 3.35 ns logic, 11.69 ns routing

        Info: Max frequency for clock 'clk': 66.48 MHz (PASS at 12.00 MHz)
        """

    @Test func fmaxAndTheCriticalPath() {
        let r = NextpnrReport(log: Self.log)
        #expect(r.fmax == 66.48)
        #expect(r.from == "peer_key_13[62]")
        #expect(r.to == "xwr_raddr FF (CE)")
        #expect(r.logicLevels == 2)
        #expect(r.logicNanoseconds == 3.35)
        #expect(r.routingNanoseconds == 11.69)
    }

    @Test func aLogWithoutTimingSaysSo() {
        let r = NextpnrReport(log: "Info: Program finished normally.\n")
        #expect(r.fmax == nil)
        #expect(r.from == "?")
        #expect(r.logicLevels == 0)
    }
}

// Each block model's outputs that come from registers (valids, payloads, levels), read
// without advancing the model: the adapter's cycle model needs them before it can compute the
// readies that join the blocks. Readies are false here.

extension CompletionEngineModel {
    public func registered() -> Outputs {
        var o = Outputs()
        (o.cqeValid, o.cqe, o.qpError, o.qpBusy) = (cqeValid, CQEBeat(entry: cqe, index: cqeIndex, owner: cqeOwner), error, nonempty)
        return o
    }
}

extension MKeyTranslatorModel {
    public func registered() -> Outputs {
        Outputs(cfgReady: false, cfgackValid: cfgackValid, cfgack: ConfigAck(status: cfgackStatus), reqReady: false, segValid: segValid, seg: seg)
    }
}

extension SGWalkerModel {
    public func registered() -> Outputs { Outputs(sgeReady: false, chunkValid: outValid, chunk: out) }
}

extension DCInitiatorModel {
    public func registered() -> Outputs {
        var o = Outputs()
        (o.xwrValid, o.xwr, o.ctlValid, o.ctl) = (xwrValid, xwr, ctlValid, ctl)
        return o
    }
}

extension ExecUnitModel {
    public func registered() -> Outputs {
        var o = Outputs()
        (o.dmaValid, o.dma, o.pktValid, o.pkt) = (dmaValid, dma, pktValid, pkt)
        (o.postValid, o.post, o.lerrValid, o.lerr) = (postValid, post, lerrValid, lerr)
        o.qpActive = active
        return o
    }
}

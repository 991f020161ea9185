// Stream combinators: each takes a stream, builds its hardware in the stream's module, and
// returns the stream that comes out. Names are given once, as the first argument; the
// registers and wires of a combinator are `<name>_...`.

extension Stream {
    var builder: ModuleBuilder { valid.module }

    /// A registered slice at full throughput (SpinalHDL's `m2sPipe`): the output's valid and
    /// payload are registers `<name>_valid`, `<name>_<field>`, so an output port driven from a
    /// stage meets SPEC 0's "outputs come from registers" by construction. A beat waits one
    /// cycle; one beat per cycle passes while the consumer is ready. The consumer's ready is
    /// the wire `<name>_ready`; this stream's `ready` is `!<name>_valid || <name>_ready`.
    ///
    /// ```swift
    /// m.outputStream(Interface.cqe).connect(from: produced.stage("cqe_out"))
    /// ```
    public func stage(_ name: String, fileID: String = #fileID, line: Int = #line) -> Stream {
        let m = builder
        let outValid = m.register("\(name)_valid", width: 1, reset: 0, fileID: fileID, line: line)
        let outPayload = m.registerRecord(name, layout, fileID: fileID, line: line)
        let out = Stream(valid: outValid, ready: m.wire("\(name)_ready", width: 1, fileID: fileID, line: line), payload: outPayload)
        let accepts = m.wire("\(name)_accepts", !outValid | out.ready, fileID: fileID, line: line)
        ready.drive(accepts, fileID: fileID, line: line)
        m.when(accepts, fileID: fileID, line: line) {
            outValid.drive(valid, fileID: fileID, line: line)
            m.when(valid, fileID: fileID, line: line) { outPayload.drive(payload, fileID: fileID, line: line) }
        }
        return out
    }

    /// A ready cut (SpinalHDL's `s2mPipe`): this stream's `ready` is a register, so no
    /// combinational path runs from the consumer's ready back to the producer. A beat that
    /// arrives while the consumer stalls waits in a one-beat skid register
    /// (`<name>_skid_valid`, `<name>_skid_<field>`). The output (`<name>_valid`,
    /// `<name>_<field>`) follows the input combinationally while the skid register is empty.
    public func readyCut(_ name: String, fileID: String = #fileID, line: Int = #line) -> Stream {
        let m = builder
        let skidValid = m.register("\(name)_skid_valid", width: 1, reset: 0, fileID: fileID, line: line)
        let skid = m.registerRecord("\(name)_skid", layout, fileID: fileID, line: line)
        let out = m.wireStream(name, layout, fileID: fileID, line: line)
        ready.drive(!skidValid, fileID: fileID, line: line)
        out.valid.drive(valid | skidValid, fileID: fileID, line: line)
        out.payload.drive(Record(layout: layout, values: zip(skid.values, payload.values).map { mux(skidValid, $0, $1) }), fileID: fileID, line: line)
        m.when(out.ready, fileID: fileID, line: line) { skidValid.drive(0, fileID: fileID, line: line) }
            .elsewhen(fire, fileID: fileID, line: line) {
                skidValid.drive(1, fileID: fileID, line: line)
                skid.drive(payload, fileID: fileID, line: line)
            }
        return out
    }

    /// A first-in first-out queue of `depth` beats, built in this module (no child module,
    /// so the block's Verilog file stands alone): state `<name>_storage`, `<name>_head`, ...,
    /// output `<name>_out_valid`, `<name>_out_<field>`, `<name>_out_ready`. See `Queue` for
    /// `pipe` and `flow`.
    ///
    /// ```swift
    /// let buffered = requests.queue("reqq", depth: 4)
    /// ```
    public func queue(_ name: String, depth: Int, pipe: Bool = false, flow: Bool = false, fileID: String = #fileID, line: Int = #line) -> Stream {
        let out = builder.wireStream("\(name)_out", layout, fileID: fileID, line: line)
        _ = Queue.build(builder, prefix: "\(name)_", enq: self, deq: out, depth: depth, pipe: pipe, flow: flow, fileID: fileID, line: line)
        return out
    }

    /// The same handshake with a new payload computed from this one.
    ///
    /// ```swift
    /// let requests = chunks.map("chunk_request", MKeyRequest.self) { c in [c.id, c.key, c.va, c.len, access, pd] }
    /// ```
    public func map(_ name: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line, _ transform: (Record) -> [Bits]) -> Stream {
        let m = builder
        let out = m.wireStream(name, layout, fileID: fileID, line: line)
        out.valid.drive(valid, fileID: fileID, line: line)
        var values = transform(payload)
        if values.count != layout.fields.count {
            m.error(SourceLocation(fileID: fileID, line: line), "map '\(name)' gives \(values.count) value\(values.count == 1 ? "" : "s") for \(layout.fields.count) fields (\(layout.fields.map(\.name).joined(separator: ", ")))")
            values = layout.fields.map { m.lit(0, width: $0.width, fileID: fileID, line: line) }
        }
        out.payload.drive(Record(layout: layout, values: values), fileID: fileID, line: line)
        ready.drive(out.ready, fileID: fileID, line: line)
        return out
    }

    /// `map` to a declared payload type.
    public func map<Beat: StreamBeat>(_ name: String, _ beat: Beat.Type, fileID: String = #fileID, line: Int = #line, _ transform: (Record) -> [Bits]) -> Stream {
        map(name, RecordLayout(beat), fileID: fileID, line: line, transform)
    }
}

extension ModuleBuilder {
    /// A stream of wires `<name>_valid`, `<name>_<field>` that offers nothing (valid and
    /// payload 0) except where a `when` drives it: for a block that produces beats from several
    /// places into one output `stage()`.
    ///
    /// ```swift
    /// let segment = m.quietStream("segment", MKeySegment.self)
    /// seg.connect(from: segment.stage("seg_out"))
    /// m.when(done) { segment.valid.drive(1); segment.payload.len.drive(n) }
    /// ```
    public func quietStream<Beat: StreamBeat>(_ name: String, _ beat: Beat.Type, fileID: String = #fileID, line: Int = #line) -> Stream {
        quietStream(name, RecordLayout(beat), fileID: fileID, line: line)
    }

    /// `quietStream` with a payload layout of the block's own (a declared beat with fields
    /// appended, for example).
    public func quietStream(_ name: String, _ layout: RecordLayout, fileID: String = #fileID, line: Int = #line) -> Stream {
        let s = wireStream(name, layout, fileID: fileID, line: line)
        s.valid.drive(0, fileID: fileID, line: line)
        for value in s.payload.values { value.drive(0, fileID: fileID, line: line) }
        return s
    }

    /// Merges `streams` (one layout) through a round-robin arbiter instance named `name`; the
    /// granted beat is `<name>_grant_*`. The result is combinational (valid follows the
    /// inputs); `stage()` it to register it.
    public func arbitrate(_ name: String, _ streams: [Stream], fileID: String = #fileID, line: Int = #line) -> Stream {
        let loc = SourceLocation(fileID: fileID, line: line)
        guard let layout = streams.first?.layout, streams.allSatisfy({ $0.layout == layout }) else {
            error(loc, "arbiter '\(name)' needs at least one stream, all with one layout")
            return wireStream(name, RecordLayout(fields: [.init(name: "bits", width: 1)]), fileID: fileID, line: line)
        }
        let arbiter = instance(name, RoundRobinArbiter(inputs: streams.count, width: layout.width), fileID: fileID, line: line)
        for (i, s) in streams.enumerated() {
            arbiter["in\(i)_valid", fileID: fileID, line: line].drive(s.valid, fileID: fileID, line: line)
            arbiter["in\(i)_bits", fileID: fileID, line: line].drive(s.payload.packed(), fileID: fileID, line: line)
            s.ready.drive(arbiter["in\(i)_ready", fileID: fileID, line: line], fileID: fileID, line: line)
        }
        let out = Stream(valid: wire("\(name)_grant_valid", arbiter["out_valid", fileID: fileID, line: line], fileID: fileID, line: line),
                         ready: wire("\(name)_grant_ready", width: 1, fileID: fileID, line: line),
                         payload: layout.unpack("\(name)_grant", arbiter["out_bits", fileID: fileID, line: line], fileID: fileID, line: line))
        arbiter["out_ready", fileID: fileID, line: line].drive(out.ready, fileID: fileID, line: line)
        return out
    }
}

import AdapterModel
import Testing

/// `DCReference` against the section 5 vectors of SPEC 4.2, written out by hand.
@Suite struct DCReferenceTests {
    let k = DCTarget(dct: 0x11, dcKey: 0xA), k2 = DCTarget(dct: 0x22, dcKey: 0xB)

    func wr(_ qp: UInt8, _ t: DCTarget) -> WorkRequest { WorkRequest(qp: qp, wqe: 0, dct: t.dct, dcKey: t.dcKey) }

    @Test func halfHandshakeSwitch() {
        var ref = DCReference(fullHandshake: { _ in false }, answer: { _, _ in 0 })
        let first = ref.decide(wr(0, k))
        #expect(first.control == [ControlBeat(.connect, qp: 0, target: k)] && first.forwarded.session == 0 && first.forwarded.status == 0)
        let again = ref.decide(wr(0, k))
        #expect(again.control.isEmpty, "three WRs to one target connect once")
        let second = ref.decide(wr(0, k2))
        #expect(second.control == [ControlBeat(.disconnect, qp: 0, target: k), ControlBeat(.connect, qp: 0, target: k2)])
    }

    @Test func fullHandshakeCarriesTheAnswer() {
        var ref = DCReference(fullHandshake: { _ in true }, answer: { _, _ in 0x1234 })
        #expect(ref.decide(wr(0, k)).forwarded.session == 0x1234)
        let next = ref.decide(wr(0, k2))
        #expect(next.control.first == ControlBeat(.disconnect, qp: 0, target: k, session: 0x1234))
    }

    @Test func noAnswerFailsThenFlushesUntilQpErrorRisesAndFalls() {
        var ref = DCReference(fullHandshake: { _ in true }, answer: { _, _ in nil })
        let first = ref.decide(wr(0, k))
        #expect(first.control.count == 4 && first.forwarded.status == 0x15 && first.forwarded.session == 0)
        let second = ref.decide(wr(0, k))
        #expect(second.forwarded.status == 0x05)
        ref.level(0, qpError: true)
        ref.level(0, qpError: false)
        let third = ref.decide(wr(0, k2))
        #expect(third.control == [ControlBeat(.connect, qp: 0, target: k2)] + Array(repeating: ControlBeat(.connect, qp: 0, target: k2), count: 3))
        #expect(third.forwarded.status == 0x15)
    }

    @Test func qpOutOfRange() {
        var ref = DCReference(fullHandshake: { _ in false }, answer: { _, _ in 0 })
        let e = ref.decide(wr(16, k))
        #expect(e.control.isEmpty && e.forwarded.status == 0x02 && e.forwarded.session == 0)
    }
}

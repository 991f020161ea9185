import AdapterModel
import LoomCosim

/// Scores `mkey_translator` against `MKeyReference`: each configuration's acknowledgement in
/// order, and each request's segments in order. A request that fails must answer with a
/// prefix of the segments before the failure, then the error beat (SPEC 1.5).
final class MKeyScoreboard {
    var reference: MKeyReference
    let coverage: Coverage
    let acks = InOrderScoreboard<UInt8>("cfgack")
    let responses = InOrderScoreboard<[MKeySegment]>("responses") {
        answerMatches(expected: $0, actual: $1) { $0.status != TranslationStatus.ok.rawValue }
    }
    var current: [MKeySegment] = []

    init(_ reference: MKeyReference, coverage: Coverage) {
        self.reference = reference
        self.coverage = coverage
    }

    /// A configuration phase starts: the reference applies each beat in order.
    func expect(configurations: [MKeyConfig]) {
        for c in configurations {
            let status = reference.configure(c)
            if status != ConfigStatus.ok.rawValue { coverage.hit("cfg refused") }
            acks.expect(status)
        }
    }

    /// A request phase starts: the tables are what the configurations before it made them.
    func expect(requests: [MKeyRequest]) {
        for r in requests {
            switch reference.translate(r) {
            case let .segments(want):
                responses.expect(want)
                let depth = reference.nesting(r.key)
                if r.len == 0 { coverage.hit("zero length") } else if depth == 0 { coverage.hit("direct") } else { coverage.hit(depth > 1 ? "nested indirect" : "indirect") }
            case let .error(before, status):
                responses.expect(before + [MKeySegment(id: r.id, addr: 0, len: 0, last: true, status: status)])
                coverage.hit(["", "BAD_KEY", "PD_MISMATCH", "ACCESS_DENIED", "OUT_OF_RANGE", "DEPTH_EXCEEDED"][Int(min(status, 5))])
            }
        }
    }

    /// A segment arrived; the one with `last` ends its request's answer.
    func actual(_ segment: MKeySegment, cycle: Int) -> [MKeySegment]? {
        current.append(segment)
        guard segment.last else { return nil }
        defer { current = [] }
        responses.actual(current, cycle: cycle)
        return current
    }

    var failures: [String] { acks.failures + responses.failures }
    var hasFailed: Bool { !acks.failures.isEmpty || !responses.failures.isEmpty }
}

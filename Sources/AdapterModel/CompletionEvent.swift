import AdapterSpec

/// One transfer seen on the engine's input streams, in the order SPEC 3.1 applies them:
/// within one cycle ACKs first (they cover only earlier posts), then local errors (rule 13:
/// after an ACK/NAK of the same cycle, on records posted in earlier cycles), then posts, then
/// resets.
public enum CompletionEvent: Hashable, Sendable {
    case ack(CompletionAck)
    case lerr(LocalError)
    case post(CompletionPost)
    case reset(qp: UInt8)

    var orderInCycle: Int {
        switch self {
        case .ack: return 0
        case .lerr: return 1
        case .post: return 2
        case .reset: return 3
        }
    }
}

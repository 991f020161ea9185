import AdapterSpec

/// One transfer seen on the engine's input streams, in the order SPEC 3.1 applies them:
/// within one cycle ACKs first (they cover only earlier posts), then posts, then resets.
public enum CompletionEvent: Hashable, Sendable {
    case ack(CompletionAck)
    case post(CompletionPost)
    case reset(qp: UInt8)

    var orderInCycle: Int {
        switch self {
        case .ack: return 0
        case .post: return 1
        case .reset: return 2
        }
    }
}

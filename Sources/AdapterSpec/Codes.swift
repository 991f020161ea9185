// The SPEC's numeric codes, each named once. Blocks compare wires with them (`Loom` takes any
// `RawRepresentable` with an integer raw value as a constant); models and tests use
// `.rawValue` where a beat holds the raw byte.

/// `seg_status` (SPEC 1.4).
public enum TranslationStatus: UInt8, CaseIterable, Sendable {
    case ok = 0, badKey = 1, pdMismatch = 2, accessDenied = 3, outOfRange = 4, depthExceeded = 5
}

/// `cfgack_status` (SPEC 1.3), in the order the checks are made: op, index, KLM run, wrap.
public enum ConfigStatus: UInt8, CaseIterable, Sendable {
    case ok = 0, indexOutOfRange = 1, klmRunOutsidePool = 2, badOp = 3, regionWraps = 4
}

/// `cfg_op` (SPEC 1.3).
public enum ConfigOp: UInt8, CaseIterable, Sendable {
    case writeMkey = 0, writeKlm = 1, invalidateMkey = 2
}

/// Access kinds: `req_access` values and bit positions of a key's `access` mask (SPEC 1.1).
public enum Access: UInt8, CaseIterable, Sendable {
    case localRead = 0, localWrite = 1, remoteRead = 2, remoteWrite = 3, atomic = 4
}

/// `sge_kind` (SPEC 2.4); 2 and 3 are MALFORMED.
public enum SGKind: UInt8, CaseIterable, Sendable {
    case plain = 0, pattern = 1
}

/// `chunk_status` (SPEC 2.3).
public enum ChunkStatus: UInt8, CaseIterable, Sendable {
    case ok = 0, malformed = 1
}

/// `cqe_opcode` (SPEC 3.3).
public enum CQEOpcode: UInt8, CaseIterable, Sendable {
    case req = 0, reqErr = 13
}

/// Completion syndromes: local ones (SPEC section 4 constants) and the NAKs the network
/// reports.
public enum Syndrome: UInt8, CaseIterable, Sendable {
    case localLength = 0x01, localQpOp = 0x02, localProt = 0x04, flush = 0x05
    case remoteAccess = 0x13, transportRetryExceeded = 0x15
}

/// WQE opcodes (`wr_opcode`, a record's `opcode`; SPEC section 4).
public enum WQEOpcode: UInt8, CaseIterable, Sendable {
    case rdmaWrite = 0x08, send = 0x0a, rdmaRead = 0x10
}

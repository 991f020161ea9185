import CLoomShim
import Foundation
import Loom
#if canImport(Glibc)
import Glibc
#endif

/// A Verilated model loaded from its shared library, driven one cycle per call.
///
/// Not `Sendable`: one thread drives one model. Each instance owns its own Verilator context,
/// so several models (even of the same library) can live side by side.
public final class VerilatedModel {
    public let layout: PortLayout
    public let libraryPath: String
    /// Whether the library came from the cache (no build was needed).
    public let wasCached: Bool
    let handle: UnsafeMutableRawPointer
    let model: UnsafeMutableRawPointer
    let cycleFn: loom_cycle_fn
    let resetFn: loom_reset_fn
    let destroyFn: loom_destroy_fn
    let setFn: loom_set_fn
    let getFn: loom_get_fn
    let evalFn: loom_eval_fn
    let traceOpenFn: loom_trace_open_fn
    let traceCloseFn: loom_trace_close_fn

    /// Builds (or reuses) the library for `design` and instantiates the model.
    public convenience init(_ design: Design, seed: UInt64 = 0, compiler: ModelCompiler = ModelCompiler()) throws {
        let built = try compiler.library(for: design)
        try self.init(library: built.path, layout: built.layout, seed: seed, cached: built.cached)
    }

    public init(library: String, layout: PortLayout, seed: UInt64, cached: Bool = true) throws {
        guard let h = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            throw CosimError.loadFailed(path: library, reason: String(cString: dlerror()))
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let p = dlsym(h, name) else { throw CosimError.loadFailed(path: library, reason: "missing symbol \(name)") }
            return unsafeBitCast(p, to: type)
        }
        let version = try symbol("loom_abi_version", loom_abi_version_fn.self)()
        guard version == LOOM_ABI_VERSION else { throw CosimError.abiMismatch(found: version) }
        let count = Int(try symbol("loom_port_count", loom_port_count_fn.self)())
        let ports = try symbol("loom_ports", loom_ports_fn.self)()!
        // The library's own port table must agree with the layout Swift computed.
        let expected = layout.inputs + layout.outputs
        guard count == expected.count, (0..<count).allSatisfy({ i in
            String(cString: ports[i].name) == expected[i].name && Int(ports[i].width) == expected[i].width
                && Int(ports[i].word_offset) == expected[i].wordOffset
        }) else { throw CosimError.loadFailed(path: library, reason: "its port table does not match the design") }
        handle = h
        self.layout = layout
        libraryPath = library
        wasCached = cached
        cycleFn = try symbol("loom_cycle", loom_cycle_fn.self)
        resetFn = try symbol("loom_reset", loom_reset_fn.self)
        destroyFn = try symbol("loom_destroy", loom_destroy_fn.self)
        setFn = try symbol("loom_set", loom_set_fn.self)
        getFn = try symbol("loom_get", loom_get_fn.self)
        evalFn = try symbol("loom_eval", loom_eval_fn.self)
        traceOpenFn = try symbol("loom_trace_open", loom_trace_open_fn.self)
        traceCloseFn = try symbol("loom_trace_close", loom_trace_close_fn.self)
        model = try symbol("loom_create", loom_create_fn.self)(seed)!
    }

    deinit {
        destroyFn(model)
        // The library stays loaded: other models may share it, and unloading buys nothing.
    }

    /// One clock cycle: inputs in, outputs (sampled before the edge) out, then the edge.
    @inline(__always)
    public func cycle(_ inputs: UnsafePointer<UInt64>, _ outputs: UnsafeMutablePointer<UInt64>) {
        cycleFn(model, inputs, outputs)
    }

    /// Array convenience for `cycle`; allocates, so keep it out of hot loops.
    public func cycle(_ inputs: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: max(layout.outputWords, 1))
        var ins = inputs
        if ins.count < max(layout.inputWords, 1) { ins += Array(repeating: 0, count: max(layout.inputWords, 1) - ins.count) }
        ins.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { o in cycleFn(model, i.baseAddress!, o.baseAddress!) } }
        return out
    }

    /// Holds `rst` high for `cycles` edges (other inputs 0), then low.
    public func reset(cycles: Int = 1) { resetFn(model, UInt32(cycles)) }

    /// Debug access: set one input by name and settle.
    public func set(_ port: String, _ words: [UInt64]) {
        guard let i = layout.inputs.firstIndex(where: { $0.name == port }) else { return }
        words.withUnsafeBufferPointer { setFn(model, UInt32(i), $0.baseAddress!) }
        evalFn(model)
    }

    /// Debug access: read one output by name.
    public func get(_ port: String) -> [UInt64] {
        guard let i = layout.outputs.firstIndex(where: { $0.name == port }) else { return [] }
        var words = [UInt64](repeating: 0, count: layout.outputs[i].words)
        words.withUnsafeMutableBufferPointer { getFn(model, UInt32(layout.inputs.count + i), $0.baseAddress!) }
        return words
    }

    /// Starts writing a VCD waveform to `path`.
    public func startTrace(_ path: String) throws {
        if traceOpenFn(model, path) != 0 { throw CosimError.loadFailed(path: path, reason: "could not open the waveform file") }
    }

    public func stopTrace() { traceCloseFn(model) }
}

// The C ABI between Loom's Swift side and a Verilated model. Each model library (built by
// LoomCosim from the design's Verilog and a generated C++ wrapper) exports these symbols.
//
// Values travel as packed 64-bit words: every input port has `words` consecutive words in
// the input array (least significant first), every output likewise in the output array.
#ifndef LOOM_SHIM_H
#define LOOM_SHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOOM_ABI_VERSION 1u

typedef struct loom_port {
    const char *name;
    uint32_t width;       // bits
    uint32_t is_output;   // 0 input, 1 output
    uint32_t word_offset; // index of the first word in the input or output array
    uint32_t words;       // (width + 63) / 64
} loom_port;

// Function types, as looked up with dlsym under the names in comments.
typedef uint32_t (*loom_abi_version_fn)(void);                         // loom_abi_version
typedef uint32_t (*loom_port_count_fn)(void);                          // loom_port_count
typedef const loom_port *(*loom_ports_fn)(void);                       // loom_ports
typedef void *(*loom_create_fn)(uint64_t seed);                        // loom_create
typedef void (*loom_destroy_fn)(void *model);                          // loom_destroy
// One clock cycle: apply inputs (masked to their widths), settle, sample every output into
// `outputs`, then apply the rising clock edge. The clock is driven here, not as a port.
typedef void (*loom_cycle_fn)(void *model, const uint64_t *inputs, uint64_t *outputs); // loom_cycle
// Holds rst high for `cycles` edges with every other input 0, then low.
typedef void (*loom_reset_fn)(void *model, uint32_t cycles);           // loom_reset
// Debugging access to one port by index into loom_ports(); `loom_eval` settles logic.
typedef void (*loom_set_fn)(void *model, uint32_t port, const uint64_t *words); // loom_set
typedef void (*loom_get_fn)(void *model, uint32_t port, uint64_t *words);       // loom_get
typedef void (*loom_eval_fn)(void *model);                             // loom_eval
// Waveforms: open a VCD file (returns 0 on success) and close it.
typedef int (*loom_trace_open_fn)(void *model, const char *path);      // loom_trace_open
typedef void (*loom_trace_close_fn)(void *model);                      // loom_trace_close

#ifdef __cplusplus
}
#endif

#endif

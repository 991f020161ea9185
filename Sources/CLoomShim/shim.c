// CLoomShim holds only the ABI header; this file gives the target a source to build.
#include "loom_shim.h"

// Stream payloads are declared in plain Swift (`LoomInterface`) so models can share them
// without importing the DSL; a design that imports Loom sees them too.
@_exported import LoomInterface

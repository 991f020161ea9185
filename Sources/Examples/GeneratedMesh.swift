import Loom

/// A large generated design for the elaboration benchmark: `lanes` independent pipelines of
/// `stages` registers, each stage computing a mix of `opsPerStage` operators from the stage
/// before it and from its neighbour lane.
public struct GeneratedMesh: Module {
    public var lanes: Int
    public var stages: Int
    public var opsPerStage: Int
    public init(lanes: Int = 1000, stages: Int = 10, opsPerStage: Int = 10) {
        self.lanes = lanes
        self.stages = stages
        self.opsPerStage = opsPerStage
    }
    public var name: String { "generated_mesh" }

    public func body(_ m: ModuleBuilder) {
        let seed = m.input("seed", width: 16)
        var previous = (0..<lanes).map { _ in seed }
        for stage in 0..<stages {
            var next: [Bits] = []
            for lane in 0..<lanes {
                let r = m.register("s\(stage)_l\(lane)", width: 16, reset: UInt64(lane & 0xffff))
                var v = previous[lane]
                let neighbour = previous[(lane + 1) % lanes]
                for k in 0..<opsPerStage {
                    switch k % 5 {
                    case 0: v = v &+ neighbour
                    case 1: v = v ^ (r >> 1)
                    case 2: v = mux(v[0], v, ~v)
                    case 3: v = v &- (lane + k)
                    default: v = v | (neighbour << 2)
                    }
                }
                r.drive(v)
                next.append(r)
            }
            previous = next
        }
        var folded = previous[0]
        for lane in 1..<lanes { folded = folded ^ previous[lane] }
        m.output("digest", width: 16).drive(folded)
    }
}

import ArgumentParser
import Dispatch
import Foundation
import LoomCosim
import LoomVerilog

/// `--shard K/N`: the K-th of N disjoint slices of the regression matrix. Tests are dealt
/// round-robin, so long and short tests spread over the shards.
struct Shard: Equatable {
    let index: Int, count: Int

    init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
            throw ValidationError("bad shard '\(text)': write K/N with 1 <= K <= N, e.g. --shard 2/4")
        }
        (index, count) = (k, n)
    }

    /// Whether the matrix entry at `position` belongs to this shard.
    func contains(_ position: Int) -> Bool { position % count == index - 1 }
}

extension RegressCommand {
    /// The arguments a shard's child process gets: this command's own, less `--jobs`.
    var childArguments: [String] {
        var a = ["regress", "--seeds", seeds.map(String.init).joined(separator: ",")]
        if let cycles { a += ["--cycles", String(cycles)] }
        if let filter { a += ["--filter", filter] }
        if let rtl { a += ["--rtl", rtl] }
        return a
    }

    /// `--jobs N`: N child processes, one shard each, at once; then one merged report.
    func runShardsInParallel() throws {
        let me = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let junitURL = URL(fileURLWithPath: junit)
        let reports = (1...jobs).map { k in
            junitURL.deletingLastPathComponent().appendingPathComponent("\(junitURL.deletingPathExtension().lastPathComponent)-shard-\(k)-of-\(jobs).xml").path
        }
        var outputs = [ExternalTools.Result?](repeating: nil, count: jobs)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs) { k in
            let r = try? ExternalTools.run(me, childArguments + ["--shard", "\(k + 1)/\(jobs)", "--junit", reports[k]])
            lock.lock(); outputs[k] = r; lock.unlock()
        }
        for (k, r) in outputs.enumerated() {
            print("shard \(k + 1)/\(jobs):")
            print(r?.output ?? "(did not start)")
        }
        let merged = try JUnitReport.merge(reports.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("a shard wrote no report at \(path)") }
            return text
        })
        try merged.text.write(toFile: junit, atomically: true, encoding: .utf8)
        print("merged \(jobs) shards: \(merged.tests) tests, \(merged.failures) failed; JUnit report: \(junit)")
        if merged.failures > 0 || outputs.contains(where: { $0 == nil }) { throw ExitCode(1) }
    }

    /// `--merge a.xml b.xml …`: one report from shards run elsewhere.
    func mergeReports() throws {
        let texts = try merge.map { path -> String in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read JUnit report \(path)") }
            return text
        }
        let merged = try JUnitReport.merge(texts)
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: junit).deletingLastPathComponent(), withIntermediateDirectories: true)
        try merged.text.write(toFile: junit, atomically: true, encoding: .utf8)
        print("merged \(merge.count) reports: \(merged.tests) tests, \(merged.failures) failed; JUnit report: \(junit)")
        if merged.failures > 0 { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import Loom

/// A design name checked against the project, with the list of valid names on error.
public struct DesignArgument: ExpressibleByArgument {
    public let name: String
    public init?(argument: String) {
        guard LoomCommand.project.design(named: argument) != nil else { return nil }
        name = argument
    }
    public static var allValueStrings: [String] { LoomCommand.project.designNames }
}

/// Elaborates a project design. A design that does not elaborate is an error (exit 1) that
/// prints every diagnostic at its Swift line.
public func elaborateOrExplain(_ name: String) throws -> Design {
    guard let entry = LoomCommand.project.design(named: name) else {
        throw ValidationError("unknown design '\(name)'; designs: \(LoomCommand.project.designNames.joined(separator: ", "))")
    }
    do {
        return try entry.build()
    } catch let error as ElaborationError {
        throw DesignDidNotElaborate(name: name, diagnostics: "\(error)")
    }
}

/// A design's diagnostics, as the command line prints them.
struct DesignDidNotElaborate: Error, CustomStringConvertible {
    let name: String, diagnostics: String
    var description: String { "design '\(name)' did not elaborate:\n\(diagnostics)" }
}

func unknownTest(_ name: String) -> String {
    "unknown test '\(name)'; tests: \(LoomCommand.project.tests.map(\.name).joined(separator: ", "))"
}

/// `--rtl DIR` must name a directory.
func validateRTL(_ rtl: String?) throws {
    guard let rtl else { return }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: rtl, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ValidationError("--rtl \(rtl) is not a directory")
    }
}

func rtlURL(_ path: String) -> URL { URL(fileURLWithPath: path).standardizedFileURL }

/// `--seeds 1,2,3`: unsigned 64-bit seeds, comma-separated.
public func parseSeeds(_ text: String) throws -> [UInt64] {
    try text.split(separator: ",").map { part in
        guard let v = UInt64(part.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("bad seed '\(part)': seeds are unsigned 64-bit integers, e.g. --seeds 1,2,3")
        }
        return v
    }
}

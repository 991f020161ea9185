import Foundation
import Testing

/// DESIGN: "names survive, and are given once": a declaration `let walkActive =
/// m.register("walk_active", ...)` names the signal once, in two spellings of one name. This
/// reads every block's source and pins that the Verilog name is the Swift name in snake case.
@Suite struct NamesTests {
    static let adapterSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Adapter").standardized

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for (i, c) in name.enumerated() {
            if c.isUppercase && i > 0 { out += "_" }
            out += c.lowercased()
        }
        return out
    }

    @Test func verilogNamesAreTheSwiftNames() throws {
        let declaration = try NSRegularExpression(pattern: #"(let )?(?:self\.)?(\w+) = m\.(register|registers|registerRecord|wire|wireStream|input|output|memory)\("(\w+)""#)
        let files = FileManager.default.enumerator(at: Self.adapterSources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count >= 5)
        var checked = 0, mismatches: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let isLocal = match.range(at: 1).location != NSNotFound
                let swift = String(text[Range(match.range(at: 2), in: text)!])
                let verilog = String(text[Range(match.range(at: 4), in: text)!])
                checked += 1
                // A stage struct's property (`walk.active`) may carry the stage as a prefix
                // (`walk_active`), as the reader sees it at the use.
                let named = Self.snakeCase(swift) == verilog || (!isLocal && verilog.hasSuffix("_" + Self.snakeCase(swift)))
                if !named { mismatches.append("\(file.lastPathComponent): \(swift) is named '\(verilog)'") }
            }
        }
        // Most state is named this way (combinators name the rest): the pattern still matches.
        #expect(checked > 80)
        #expect(mismatches == [])
    }

    @Test func snakeCaseOfSwiftNames() {
        #expect(Self.snakeCase("walkEndsEmpty") == "walk_ends_empty")
        #expect(Self.snakeCase("wLastPiece") == "w_last_piece")
        #expect(Self.snakeCase("s1Valid") == "s1_valid")
    }
}

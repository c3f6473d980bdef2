import Foundation
import Yams

/// Yams' parse errors in words a person can act on, at the place to fix: a duplicate key at
/// the duplicate (Yams names the first), a tab in the indentation named as a tab.
enum YAMLErrorDiagnostic {
    static func make(_ error: YamlError, source: String, path: String) -> Diagnostic {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let first = (line: context.mark.line, column: context.mark.column)
            let again = duplicate(of: key, first: first, lines: lines)
            let message = "duplicate key '\(key)': it is already at line \(first.line), column \(first.column); a key appears once in a mapping (remove one, or merge their values)"
            let at = again ?? first
            return Diagnostic(.error, message, at: SourceLocation(file: path, line: at.line, column: at.column))
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if let tab = tabInIndentation(lines, upTo: mark.line) {
                return Diagnostic(.error, "a tab in the indentation at line \(tab.line); YAML indents with spaces",
                                  at: SourceLocation(file: path, line: tab.line, column: tab.column))
            }
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return Diagnostic(.error, "invalid YAML: \(what)", at: SourceLocation(file: path, line: mark.line, column: mark.column))
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: path, line: 1, column: 1))
        }
    }

    /// The first line, up to `last`, whose indentation holds a tab, and the tab's column.
    static func tabInIndentation(_ lines: [String], upTo last: Int) -> (line: Int, column: Int)? {
        for (i, line) in lines.prefix(max(1, last)).enumerated() {
            let indentation = line.prefix { $0 == " " || $0 == "\t" || $0 == "-" }
            if let tab = indentation.firstIndex(of: "\t") {
                return (i + 1, indentation.distance(from: indentation.startIndex, to: tab) + 1)
            }
        }
        return nil
    }

    /// Where `key` is written again in the mapping whose first `key` is at `first`: the
    /// next line at the same indentation starting with `key:` (a block mapping), or a later
    /// `, key:` on the same line (a flow mapping).
    static func duplicate(of key: String, first: (line: Int, column: Int), lines: [String]) -> (line: Int, column: Int)? {
        guard first.line >= 1, first.line <= lines.count, !key.isEmpty else { return nil }
        func startsWithKey(_ text: Substring) -> Bool {
            for quoted in [key, "\"\(key)\"", "'\(key)'"] where text.hasPrefix(quoted) {
                if text.dropFirst(quoted.count).drop(while: { $0 == " " }).first == ":" { return true }
            }
            return false
        }
        let firstLine = Array(lines[first.line - 1])
        // Flow mapping: a later `, key:` or `{ key:` on the same line.
        var i = min(first.column, firstLine.count)
        while i < firstLine.count {
            if firstLine[i] == "," || firstLine[i] == "{" {
                let rest = String(firstLine[(i + 1)...]).drop(while: { $0 == " " })
                if startsWithKey(rest) { return (first.line, firstLine.count - rest.count + 1) }
            }
            i += 1
        }
        // Block mapping: later lines at the same indentation, until the mapping ends.
        let indent = first.column - 1
        for n in first.line ..< lines.count {
            let line = lines[n]
            let spaces = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(spaces)
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if spaces < indent { break }
            if spaces == indent, startsWithKey(rest) { return (n + 1, spaces + 1) }
        }
        return nil
    }
}

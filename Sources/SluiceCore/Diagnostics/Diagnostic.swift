/// A place in a file a person can go to: `pipelines/ventes.yaml:14:9`.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a manifest, a template or an input, printed compiler style.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable { case error, warning, note }

    public var severity: Severity
    public var location: SourceLocation?
    /// The path inside the manifest, e.g. `transform[2].validate.columns.Montant`.
    public var path: String?
    public var message: String

    public init(_ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil, path: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.path = path
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }

    /// The diagnostic followed by the offending source line and a caret under the column.
    public func rendered(source: String?) -> String {
        var out = description
        if let location, let source {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line >= 1 && location.line <= lines.count {
                let line = lines[location.line - 1]
                out += "\n    " + line + "\n    " + String(repeating: " ", count: max(0, location.column - 1)) + "^"
            }
        }
        return out
    }
}

/// Problems are collected, not thrown one at a time.
public struct Diagnostics: Sendable, Hashable, Codable, Sequence {
    public private(set) var items: [Diagnostic] = []

    public init(_ items: [Diagnostic] = []) { self.items = items }

    public mutating func append(_ d: Diagnostic) { items.append(d) }
    public mutating func append(contentsOf other: Diagnostics) { items.append(contentsOf: other.items) }
    public mutating func error(_ message: String, at location: SourceLocation?, path: String? = nil) {
        items.append(Diagnostic(.error, message, at: location, path: path))
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public func makeIterator() -> IndexingIterator<[Diagnostic]> { items.makeIterator() }

    /// Sorted by file, line and column, so output is stable.
    public var sorted: [Diagnostic] {
        items.sorted {
            let a = $0.location, b = $1.location
            return (a?.file ?? "", a?.line ?? 0, a?.column ?? 0, $0.message) < (b?.file ?? "", b?.line ?? 0, b?.column ?? 0, $1.message)
        }
    }
}

/// "did you mean" suggestions by edit distance.
public enum Suggestion {
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            let limit = max(1, min(3, c.count / 3 + 1))
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0 ... y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1 ... x.count {
            cur[0] = i
            for j in 1 ... y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { cur[j] = min(cur[j], prev[j - 1]) }
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}

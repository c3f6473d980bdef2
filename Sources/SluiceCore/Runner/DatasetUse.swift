import Foundation

/// Whether a dataset may be used by a later step: its name (the part before any `.`) appears
/// in the manifest or a template file more than once, i.e. somewhere besides its own `as:`.
/// Deliberately coarse: a name that merely appears in a comment keeps the dataset.
enum DatasetUse {
    static func countsMoreThanOnce(_ root: String, manifest: Manifest, workspace: Workspace) -> Bool {
        var count = occurrences(of: root, in: manifest.source)
        if count > 1 { return true }
        for file in (try? FileManager.default.contentsOfDirectory(atPath: workspace.templates)) ?? [] {
            if let data = FileManager.default.contents(atPath: workspace.templates + "/" + file) {
                count += occurrences(of: root, in: String(decoding: data, as: UTF8.self))
                if count > 1 { return true }
            }
        }
        return false
    }

    /// Whole-word occurrences (a word is letters, digits, `_` and `-`).
    static func occurrences(of word: String, in text: String) -> Int {
        let w = Array(word.unicodeScalars)
        let t = Array(text.unicodeScalars)
        guard !w.isEmpty, t.count >= w.count else { return 0 }
        func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0" ... "9").contains(c) || c == "_" || c == "-" }
        var count = 0
        var i = 0
        while i + w.count <= t.count {
            if t[i] == w[0], Array(t[i ..< i + w.count]) == w,
               i == 0 || !isWord(t[i - 1]), i + w.count == t.count || !isWord(t[i + w.count]) {
                count += 1
                i += w.count
            } else {
                i += 1
            }
        }
        return count
    }
}

/// `DatasetUse`'s answers by manifest version and name, for the life of one runner.
final class DatasetUseCache: Sendable {
    private let known = MutexBox<[String: Bool]>([:])

    /// Whether `name` (or the dataset it is a part of) is named later in the manifest.
    func isNamedLater(_ name: String, in manifest: Manifest, workspace: Workspace) -> Bool {
        let root = String(name.split(separator: ".").first ?? Substring(name))
        let key = manifest.contentHash + "\u{0}" + root
        if let answer = known.withLock({ $0[key] }) { return answer }
        let answer = DatasetUse.countsMoreThanOnce(root, manifest: manifest, workspace: workspace)
        known.withLock { $0[key] = answer }
        return answer
    }

    /// How many answers are kept (for tests).
    var count: Int { known.withLock { $0.count } }
}

/// Makes header names unique and non-empty.
///
/// - An empty (or whitespace-only) name becomes `column<N>`, N its 1-based position.
/// - The first occurrence of a name keeps it; later occurrences get `_2`, `_3`, ... skipping
///   any name that another column already has (`Montant`, `Montant` → `Montant`, `Montant_2`).
/// - Names are otherwise kept exactly as written (no trimming, case kept).
/// Every change is reported as a warning on the header's line.
enum CSVHeaderNames {
    static func unique(_ raw: [String], line: Int, source: String?) -> (names: [String], warnings: [CSVWarning]) {
        let isBlank: (String) -> Bool = { name in name.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" } }
        let reserved = Set(raw.filter { !isBlank($0) })
        var used = Set<String>()
        var firstPosition: [String: Int] = [:]
        var names: [String] = []
        var warnings: [CSVWarning] = []
        names.reserveCapacity(raw.count)
        for (index, name) in raw.enumerated() {
            let position = index + 1
            if isBlank(name) {
                let generated = "column\(position)"
                var candidate = generated
                var n = 2
                while reserved.contains(candidate) || used.contains(candidate) {
                    candidate = "\(generated)_\(n)"
                    n += 1
                }
                warnings.append(CSVWarning("column \(position) has an empty header; named it '\(candidate)'", source: source, line: line, field: position))
                used.insert(candidate)
                names.append(candidate)
                continue
            }
            if !used.contains(name) {
                used.insert(name)
                firstPosition[name] = position
                names.append(name)
                continue
            }
            var n = 2
            var candidate = "\(name)_\(n)"
            while reserved.contains(candidate) || used.contains(candidate) {
                n += 1
                candidate = "\(name)_\(n)"
            }
            let first = firstPosition[name].map { " (first in column \($0))" } ?? ""
            warnings.append(CSVWarning(
                "column \(position) repeats the header '\(name)'\(first); named it '\(candidate)'", source: source, line: line, field: position))
            used.insert(candidate)
            names.append(candidate)
        }
        return (names, warnings)
    }

    /// `column1`...`columnN`, for files without a header.
    static func generated(count: Int) -> [String] {
        (0..<count).map { "column\($0 + 1)" }
    }
}

/// The stored names already given out in one message, so that no two attachments share
/// one, case-insensitively: `report.xlsx`, `report-2.xlsx`, `Report-3.XLSX`.
public struct AttachmentNameSet: Sendable {
    private var taken: Set<String> = []

    public init() {}

    /// `name` if it is free, else the first free `stem-N.ext` (N from 2), kept within
    /// ``AttachmentName/maxBytes``; the returned name is taken from then on.
    public mutating func claim(_ name: String) -> String {
        if taken.insert(name.lowercased()).inserted { return name }
        let (stem, ext) = AttachmentName.split(name)
        var n = 2
        while true {
            let suffix = "-\(n)" + ext
            let candidate = AttachmentName.capped(String(stem) + suffix, maxBytes: AttachmentName.maxBytes)
            let fitted = candidate.hasSuffix(suffix) ? candidate : trimmedStem(stem, toFit: suffix) + suffix
            if taken.insert(fitted.lowercased()).inserted { return fitted }
            n += 1
        }
    }

    private func trimmedStem(_ stem: Substring, toFit suffix: String) -> String {
        var out = ""
        for c in stem {
            if out.utf8.count + String(c).utf8.count + suffix.utf8.count > AttachmentName.maxBytes { break }
            out.append(c)
        }
        return out
    }
}

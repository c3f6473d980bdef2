/// The one shape of an error a person sees: what kind of problem (`code`), a sentence they can
/// act on (`message`), where in their input (`place`), the lower-level error behind it (`cause`)
/// and where Sluice threw it (`thrownAt`).
///
/// `description` is what a user reads; ``detailedDescription()`` is the whole tree, causes
/// included, for logs and bug reports:
///
/// ```
/// FormatError: truncated
/// ├─ Message: the archive ends before its central directory
/// ├─ Place: part xl/worksheets/sheet1.xml
/// ├─ Cause:
/// │  └─ ZipError: truncated
/// │     ├─ Message: the archive ends before its central directory
/// │     ├─ Place: part xl/worksheets/sheet1.xml
/// │     └─ Thrown at: SluiceFormats/ZipArchiveReader.swift:80
/// └─ Thrown at: SluiceFormats/XLSXWorkbook.swift:112
/// ```
public protocol UserFacingError: Error, Sendable, CustomStringConvertible {
    /// A closed set of kinds that can grow without breaking callers: a struct over a private enum.
    associatedtype Code: Hashable, Sendable, CustomStringConvertible
    var code: Code { get }
    /// What went wrong and, where possible, what to do about it.
    var message: String { get }
    /// Where in the input; empty when the caller is the one who knows (it adds it).
    var place: InputPlace { get }
    /// The lower-level error this one explains, if any.
    var cause: (any Error & Sendable)? { get }
    /// Where it was thrown in Sluice's source.
    var thrownAt: ThrowSite { get }
}

extension UserFacingError {
    /// The error and its causes as a tree, one fact per line (see ``UserFacingError``).
    public func detailedDescription() -> String {
        detailedDescriptionLines().joined(separator: "\n")
    }

    func detailedDescriptionLines() -> [String] {
        var lines = ["\(Self.self): \(code)", "├─ Message: \(message)"]
        if !place.isEmpty { lines.append("├─ Place: \(place)") }
        if let cause = cause as? any UserFacingError {
            let causeLines = cause.detailedDescriptionLines()
            lines.append("├─ Cause:")
            lines.append("│  └─ " + causeLines[0])
            lines.append(contentsOf: causeLines.dropFirst().map { "│     " + $0 })
        } else if let cause {
            lines.append("├─ Cause: \(String(reflecting: type(of: cause))): \(cause)")
        }
        lines.append("└─ Thrown at: \(thrownAt)")
        return lines
    }
}

import SluiceErrors

/// A failure as `sluice show` prints it, one fact per line, names escaped:
///
/// ```
/// error     transform / transform[0].validate: 2 of 5 rows failed validation ...
///           in v.csv at row 5
///           rows 5, 6
///           the rejects file v_rejects.csv lists every bad row with its reason
///           after fixing: sluice reprocess 20261121-070000-3f9a1c
/// ```
public struct RunFailureText: Sendable {
    public var failure: RunFailure

    public init(_ failure: RunFailure) {
        self.failure = failure
    }

    public var lines: [String] {
        let e = failure
        var lines = ["error     \(e.stage) / \(e.step): \(e.message.escapingControlCharacters)"]
        let place = e.inputPlace
        if let f = place.file {
            lines.append("          in \(f.escapingControlCharacters)\(place.withinFile.map { " at \($0.escapingControlCharacters)" } ?? "")")
        } else if let within = place.withinFile {
            lines.append("          at \(within.escapingControlCharacters)")
        }
        if !e.rows.isEmpty { lines.append("          rows \(e.rows.prefix(20).map(String.init).joined(separator: ", "))\(e.rows.count > 20 ? ", …" : "")") }
        if let h = e.hint { lines.append("          \(h.escapingControlCharacters)") }
        if let c = e.cause { lines.append("          because \(c.escapingControlCharacters)") }
        if let r = e.reprocess { lines.append("          after fixing: \(r)") }
        return lines
    }
}

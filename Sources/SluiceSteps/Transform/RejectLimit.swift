import Foundation
import SluiceCore

/// How many rows a `validate` step may reject before the run fails: `max-rejects: 10`
/// (a count) or `max-rejects: 5%` (a share of the rows read). Without it, a run fails only
/// when it rejects every row (and there was at least one): a file that is all wrong is not
/// a success.
public struct RejectLimit: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case count(Int64)
        /// `numerator / 10^scale` percent: `2.5%` is (25, 1).
        case percent(numerator: Int64, scale: Int)
    }

    let kind: Kind
    /// How the manifest wrote it.
    public let source: String

    public init?(parsing text: String) {
        let t = text.trimmedSpaces
        source = t
        if t.hasSuffix("%") {
            let number = String(t.dropLast()).trimmedSpaces.replacingOccurrences(of: ",", with: ".")
            guard let d = DecimalNumber(parsing: number), !number.contains("e"), !number.contains("E"),
                  d.significand >= 0, d.scale >= 0, d.scale <= 6, d <= DecimalNumber(100) else { return nil }
            kind = .percent(numerator: d.significand, scale: Int(d.scale))
        } else {
            guard let n = Int64(t), n >= 0 else { return nil }
            kind = .count(n)
        }
    }

    /// What is wrong with a `max-rejects` that does not parse.
    static func problem(_ text: String) -> String {
        "max-rejects '\(text)' is neither a count of rows (10) nor a percentage of them (5%)"
    }

    public var description: String { source }

    /// Whether `rejected` rows out of `total` are more than the limit allows.
    public func isExceeded(rejected: Int, of total: Int) -> Bool {
        switch kind {
        case let .count(n):
            return Int64(rejected) > n
        case let .percent(numerator, scale):
            // rejected / total > numerator / 10^scale / 100, in integers (scale <= 6, so no overflow
            // below 10^10 rows).
            var factor: Int64 = 100
            for _ in 0 ..< scale { factor *= 10 }
            return Int64(rejected) * factor > numerator * Int64(total)
        }
    }

    /// The error that fails the run when the rejects pass `limit` (nil: the default, which
    /// allows anything but rejecting every row). Nil when the run may go on.
    static func failure(limit: RejectLimit?, rejected: [(row: Int, error: String)], total: Int,
                        source: String?, rejectsFile: AttachedFile?) -> StepError? {
        guard !rejected.isEmpty else { return nil }
        let reason: String
        if let limit {
            guard limit.isExceeded(rejected: rejected.count, of: total) else { return nil }
            reason = "\(rejected.count) of \(total) rows were rejected, more than max-rejects \(limit)"
        } else {
            guard rejected.count == total else { return nil }
            reason = total == 1 ? "the only row was rejected" : "all \(total) rows were rejected"
        }
        let first = rejected.prefix(3).map { "row \($0.row): \($0.error)" }.joined(separator: " | ")
        let file = rejectsFile.map { "the rejects file \($0.name)" } ?? "the rejects file"
        let allow = limit == nil ? "; if such a file may pass, set max-rejects (a count or a percentage, 100% allows all)" : ""
        var error = StepError(.validation, "\(reason): \(first)\(rejected.count > 3 ? " | …" : "")",
                              file: source, place: "row \(rejected[0].row)", rows: rejected.map(\.row),
                              hint: "\(file) lists every bad row with its reason; fix the file and reprocess\(allow)")
        error.outputs = rejectsFile.map { [$0] } ?? []
        return error
    }
}

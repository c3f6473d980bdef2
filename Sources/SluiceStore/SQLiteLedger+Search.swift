import Foundation
import GRDB
import SluiceCore

/// The runs as the HTTP API asks for them: filtered, newest first, a page at a time.
extension SQLiteLedger: RunSearch {
    public func searchRuns(_ query: RunQuery) throws -> RunPage {
        var sql = "SELECT rowid, document FROM runs WHERE 1 = 1"
        var arguments: [any DatabaseValueConvertible] = []
        if let p = query.pipeline { sql += " AND pipeline = ?"; arguments.append(p) }
        if let s = query.status { sql += " AND status = ?"; arguments.append(s.rawValue) }
        if let t = query.trigger { sql += " AND json_extract(document, '$.trigger') = ?"; arguments.append(t) }
        if let from = query.from { sql += " AND created_at >= ?"; arguments.append(from.timeIntervalSince1970) }
        if let to = query.to { sql += " AND created_at < ?"; arguments.append(to.timeIntervalSince1970) }
        if let cursor = query.cursor { sql += " AND rowid < ?"; arguments.append(cursor) }
        if let text = query.text, !text.isEmpty {
            let pattern = "%" + Self.likeEscaped(text) + "%"
            let fields = ["$.failure.message", "$.failure.hint", "$.failure.place", "$.failure.step", "$.retryError.message"]
            sql += " AND (" + fields.map { _ in "json_extract(document, ?) LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")"
            for f in fields { arguments.append(f); arguments.append(pattern) }
        }
        let limit = max(1, query.limit)
        sql += " ORDER BY rowid DESC LIMIT \(limit + 1)"
        let rows = try read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
        var runs: [RunRecord] = []
        var last: Int64?
        for row in rows.prefix(limit) {
            runs.append(try decode(row["document"]))
            last = row["rowid"]
        }
        return RunPage(runs: runs, next: rows.count > limit ? last : nil)
    }

    /// `text` with LIKE's wildcards taken literally.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    public func runCounts() throws -> [String: [RunStatus: Int]] {
        try read { db in
            var counts: [String: [RunStatus: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pipeline, status, count(*) AS n FROM runs GROUP BY pipeline, status") {
                guard let status = RunStatus(rawValue: row["status"]) else { continue }
                counts[row["pipeline"], default: [:]][status] = row["n"]
            }
            return counts
        }
    }

    public func latestRuns() throws -> [String: RunRecord] {
        let texts = try read { db in
            try String.fetchAll(db, sql: "SELECT document FROM runs WHERE rowid IN (SELECT max(rowid) FROM runs GROUP BY pipeline)")
        }
        var latest: [String: RunRecord] = [:]
        for text in texts {
            let run = try decode(text)
            latest[run.pipeline] = run
        }
        return latest
    }
}

import Foundation
import GRDB
import SluiceCore

/// Pruning and giving space back. A ledger is created with `auto_vacuum = INCREMENTAL`, so
/// the pages of dropped checkpoints and removed runs go back to the file system; a ledger made
/// before that is converted by its first `compact()` (a `VACUUM`, which needs as much free disk
/// as the file's size, once).
extension SQLiteLedger {
    public func runAges() throws -> [RunAge] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, pipeline, status, length(document) AS bytes,
                       json_extract(document, '$.effectScope') AS scope, json_extract(document, '$.phase') AS phase,
                       json_extract(document, '$.finishedAt') AS finished, json_extract(document, '$.updatedAt') AS updated
                FROM runs ORDER BY created_at, rowid
                """)
        }
        return rows.map { row in
            let id: String = row["id"]
            let finished: Double? = row["phase"] == "done" ? (row["finished"] ?? row["updated"]) : nil
            return RunAge(id: id, pipeline: row["pipeline"], status: RunStatus(rawValue: row["status"]) ?? .running,
                          effectScope: row["scope"] ?? id, finishedAt: finished.map { Date(timeIntervalSince1970: $0 / 1000) },
                          recordBytes: row["bytes"])
        }
    }

    public func removeRuns(ids: [String], finishedBefore: Date) throws -> [String] {
        let cutoff = finishedBefore.timeIntervalSince1970 * 1000
        var removed: [String] = []
        try write { db in
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start ..< min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                // A run goes when no run of its effect scope is unfinished or finished since the cutoff.
                let done = try String.fetchAll(db, sql: """
                    SELECT r.id FROM runs r WHERE r.id IN (\(marks)) AND NOT EXISTS (
                      SELECT 1 FROM runs o
                      WHERE coalesce(json_extract(o.document, '$.effectScope'), o.id) = coalesce(json_extract(r.document, '$.effectScope'), r.id)
                        AND (coalesce(json_extract(o.document, '$.phase'), '') <> 'done'
                             OR coalesce(json_extract(o.document, '$.finishedAt'), json_extract(o.document, '$.updatedAt')) >= ?))
                    """, arguments: StatementArguments(chunk) + [cutoff])
                guard !done.isEmpty else { continue }
                let list = Array(repeating: "?", count: done.count).joined(separator: ", ")
                let arguments = StatementArguments(done)
                for table in ["run_inputs", "checkpoints", "effects"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_id IN (\(list))", arguments: arguments)
                }
                try db.execute(sql: "DELETE FROM runs WHERE id IN (\(list))", arguments: arguments)
                removed += done
            }
        }
        return removed
    }

    public func forgetScheduleSlots(before date: Date, pipeline: String?) throws -> Int {
        try write { db in
            // One pipeline's step by name, or every `schedule:` step (a name may hold LIKE's `_`).
            let prefix = Runner.scheduleStep("")
            let (match, step) = pipeline.map { ("step = ?", Runner.scheduleStep($0)) } ?? ("substr(step, 1, \(prefix.count)) = ?", prefix)
            try db.execute(sql: """
                DELETE FROM effects WHERE run_id = '' AND \(match) AND at < ?
                  AND at < (SELECT max(e.at) FROM effects e WHERE e.step = effects.step)
                """, arguments: [step, date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    public func compact() throws -> (before: Int64, after: Int64) {
        let before = storeBytes
        try queue.writeWithoutTransaction { db in
            if try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
            } else {
                try db.execute(sql: "PRAGMA incremental_vacuum")
            }
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return (before, storeBytes)
    }

    /// The bytes of the database file and its write-ahead log.
    var storeBytes: Int64 {
        [queue.path, queue.path + "-wal"].reduce(0) { total, path in
            var st = stat()
            return total + (stat(path, &st) == 0 ? Int64(st.st_size) : 0)
        }
    }

    /// Frees the pages of deleted rows at the end of a write (a run's dropped checkpoints):
    /// nothing when the ledger predates incremental vacuum.
    static func releaseFreePages(_ db: Database) throws {
        try db.cachedStatement(sql: "PRAGMA incremental_vacuum").execute()
    }
}

import Foundation
import GRDB
import SluiceCore

/// Paused pipelines (`sluice pause`), in the table of migration "v5: paused pipelines".
extension SQLiteLedger: PauseLedger {
    public func pausedPipelines() throws -> [String: Date] {
        try read { db in
            var paused: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT pipeline, paused_at FROM paused_pipelines") {
                let ms: Int64 = row["paused_at"]
                paused[row["pipeline"]] = Date(timeIntervalSince1970: Double(ms) / 1000)
            }
            return paused
        }
    }

    @discardableResult
    public func setPaused(_ pipeline: String, _ paused: Bool, at date: Date) throws -> Bool {
        try write { db in
            if paused {
                try db.execute(sql: "INSERT OR IGNORE INTO paused_pipelines (pipeline, paused_at) VALUES (?, ?)",
                               arguments: [pipeline, Int64((date.timeIntervalSince1970 * 1000).rounded())])
            } else {
                try db.execute(sql: "DELETE FROM paused_pipelines WHERE pipeline = ?", arguments: [pipeline])
            }
            return db.changesCount > 0
        }
    }
}

import Foundation
import GRDB
import SluiceCore

/// API tokens (`sluice api-token`) and the idempotency keys of triggers, in the tables of
/// migration "v6: API tokens and trigger keys".
extension SQLiteLedger: APITokenStore, TriggerKeyStore {
    static func createAPITables(_ db: Database) throws {
        // Only a token's SHA-256 is kept; the token itself is printed once, when it is made.
        try db.execute(sql: """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT,
                scope TEXT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            CREATE TABLE trigger_keys (
                pipeline TEXT NOT NULL,
                key TEXT NOT NULL,
                run_id TEXT,
                claimed_at INTEGER NOT NULL,
                PRIMARY KEY (pipeline, key)
            );
            """)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public func insertToken(_ token: APITokenRecord) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO api_tokens (id, name, scope, sha256, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [token.id, token.name, token.scope.rawValue, token.sha256, Self.milliseconds(token.createdAt),
                                       token.revokedAt.map(Self.milliseconds)])
        }
    }

    public func tokens() throws -> [APITokenRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY created_at, id").compactMap { row -> APITokenRecord? in
                guard let scope = APIScope(rawValue: row["scope"]) else { return nil }
                let revoked: Int64? = row["revoked_at"]
                return APITokenRecord(id: row["id"], name: row["name"], scope: scope,
                                      createdAt: Self.date(milliseconds: row["created_at"]),
                                      revokedAt: revoked.map { Self.date(milliseconds: $0) }, sha256: row["sha256"])
            }
        }
    }

    public func revokeToken(id: String, at date: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [Self.milliseconds(date), id])
            return db.changesCount > 0
        }
    }

    public func claimTriggerKey(_ key: String, pipeline: String, at date: Date, staleAfter: TimeInterval) throws -> TriggerKeyClaim {
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT run_id, claimed_at FROM trigger_keys WHERE pipeline = ? AND key = ?",
                                          arguments: [pipeline, key]) {
                if let run: String = row["run_id"] { return .started(runID: run) }
                let claimed: Int64 = row["claimed_at"]
                guard Self.date(milliseconds: claimed) + staleAfter < date else { return .pending }
                try db.execute(sql: "UPDATE trigger_keys SET claimed_at = ? WHERE pipeline = ? AND key = ?",
                               arguments: [Self.milliseconds(date), pipeline, key])
                return .abandoned(since: Self.date(milliseconds: claimed))
            }
            try db.execute(sql: "INSERT INTO trigger_keys (pipeline, key, run_id, claimed_at) VALUES (?, ?, NULL, ?)",
                           arguments: [pipeline, key, Self.milliseconds(date)])
            return .claimed
        }
    }

    public func completeTriggerKey(_ key: String, pipeline: String, runID: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE trigger_keys SET run_id = ? WHERE pipeline = ? AND key = ?", arguments: [runID, pipeline, key])
        }
    }

    public func releaseTriggerKey(_ key: String, pipeline: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM trigger_keys WHERE pipeline = ? AND key = ? AND run_id IS NULL", arguments: [pipeline, key])
        }
    }
}

import Foundation
import GRDB
import Synchronization

/// One open connection per target database file for the life of a runner, so a batch of
/// runs does not reopen the database for every `database` step. Kept in the runner's
/// `RunnerResources`: two runners in one process have two pools.
final class DatabaseConnectionPool: Sendable {
    private let open = Mutex<[String: DatabaseQueue]>([:])
    /// Tables (path, table, columns, mode) whose schema this runner already made ready.
    private let ready = Mutex<Set<String>>([])

    init() {}

    func isReady(_ key: String) -> Bool { ready.withLock { $0.contains(key) } }
    func markReady(_ key: String) { _ = ready.withLock { $0.insert(key) } }
    func forget(_ key: String) { _ = ready.withLock { $0.remove(key) } }

    /// The number of databases open (for tests).
    var openCount: Int { open.withLock { $0.count } }

    func queue(path: String) throws -> DatabaseQueue {
        if let q = open.withLock({ $0[path] }) { return q }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var settings = GRDB.Configuration()
        settings.busyMode = .timeout(10)
        settings.prepareDatabase { db in
            // Every commit durable (the ledger's record of the write depends on it; under a
            // group commit the load step lowers this and the group's sync covers it), and no
            // temporary files per statement.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let q = try DatabaseQueue(path: path, configuration: settings)
        // Write-ahead logging: a commit appends to one log instead of creating and deleting a
        // rollback journal each time.
        try q.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        return open.withLock { opened in
            if let raced = opened[path] { return raced }
            opened[path] = q
            return q
        }
    }
}

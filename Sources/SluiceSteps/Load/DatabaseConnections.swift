import Foundation
import GRDB
import Synchronization

/// One open connection per target database file for the life of the process, so a batch of
/// runs does not reopen the database for every `database` step.
enum DatabaseConnections {
    private static let open = Mutex<[String: DatabaseQueue]>([:])
    /// Tables (path, table, columns, mode) whose schema this process already made ready.
    private static let ready = Mutex<Set<String>>([])

    static func isReady(_ key: String) -> Bool { ready.withLock { $0.contains(key) } }
    static func markReady(_ key: String) { _ = ready.withLock { $0.insert(key) } }
    static func forget(_ key: String) { _ = ready.withLock { $0.remove(key) } }

    static func queue(path: String) throws -> DatabaseQueue {
        if let q = open.withLock({ $0[path] }) { return q }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var settings = GRDB.Configuration()
        settings.busyMode = .timeout(10)
        let q = try DatabaseQueue(path: path, configuration: settings)
        open.withLock { $0[path] = q }
        return q
    }
}

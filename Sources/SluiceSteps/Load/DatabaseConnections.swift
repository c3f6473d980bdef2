import Foundation
import GRDB
import Synchronization

/// One open connection per target database file for the life of the process, so a batch of
/// runs does not reopen the database for every `database` step.
enum DatabaseConnections {
    private static let open = Mutex<[String: DatabaseQueue]>([:])

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

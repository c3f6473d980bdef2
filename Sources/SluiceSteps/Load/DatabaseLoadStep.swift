import Foundation
import GRDB
import GRDBSQLite
import SluiceCore

/// `database`: writes a dataset into a table of an SQLite database, in one transaction.
///
/// Safe to repeat: the transaction also records the effect's key in the table
/// `_sluice_effects` of the same database, so a write that committed is never done
/// twice, even if the process died before the ledger heard of it.
public struct DatabaseLoadStep: Step {
    public enum Mode: String, Decodable, Sendable { case insert, upsert, replace }

    public struct Configuration: Decodable, Sendable {
        public var table: String
        public var mode: Mode?
        public var key: [String]?
        /// A connection of type `sqlite` in connections.yaml; default `data/sluice.sqlite`.
        public var connection: String?
    }

    public static let kind = "database"
    public static let stages: Set<StageName> = [.load]
    public static let documentation = StepDocumentation(
        summary: """
        Writes the dataset into a table of an SQLite database (a connection of type `sqlite` in connections.yaml, \
        by default `data/sluice.sqlite` in the workspace), in one transaction. A missing table is created with the \
        dataset's columns (text, integer, decimal as exact text, date and datetime as ISO 8601 text, bool as 0/1); \
        missing columns are added. `insert` appends, `upsert` inserts or updates by `key`, `replace` empties the \
        table first. Repeating a run never writes twice.
        """,
        fields: [
            .init("table", "name", required: true, "The table."),
            .init("mode", "insert | upsert | replace", default: "insert", example: "upsert", "How rows are written."),
            .init("key", "list of columns", "The columns that identify a row; required for upsert."),
            .init("connection", "name", "A connection of type sqlite in connections.yaml."),
        ],
        example: """
        - database: { table: ventes_par_produit, key: [Produit], mode: upsert }
          from: totaux
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    var mode: Mode { configuration.mode ?? .insert }

    public func check(_ context: inout StepCheckContext) {
        if !isPlainName(configuration.table) {
            context.error("table name '\(configuration.table)' may hold letters, digits and '_' only", at: ["table"])
        }
        if mode == .upsert && (configuration.key ?? []).isEmpty {
            context.error("mode upsert needs 'key': the columns that identify a row", at: ["mode"])
        }
        for (i, k) in (configuration.key ?? []).enumerated() { context.requireColumn(k, at: ["key", String(i)]) }
        if let name = configuration.connection { context.requireConnection(name, type: "sqlite", at: ["connection"]) }
        for c in context.input?.columns ?? [] where c.name.contains("\"") {
            context.error("column name '\(c.name)' cannot be used in a table (it holds a double quote)")
        }
    }

    func isPlainName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !s.hasPrefix("_sluice")
    }

    func databasePath(_ context: StepContext) throws -> String {
        guard let name = configuration.connection else { return context.workspace.defaultDatabase }
        guard let c = context.connections[name] else {
            throw StepError(.configuration, "no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: context.connections.all.keys))")
        }
        guard c.type == "sqlite", let path = c.setting("path") else {
            throw StepError(.configuration, "connection '\(name)' must have type: sqlite and a path")
        }
        return path.hasPrefix("/") ? path : context.workspace.root + "/" + path
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let data = context.input
        let path = try databasePath(context)
        let table = configuration.table
        let description = "\(mode.rawValue) \(data.rows.count) rows into \(table) (\(context.workspace.relative(path)))"
        let pool = context.resources.service(DatabaseConnectionPool.self) { DatabaseConnectionPool() }
        let outcome = try context.effects.perform(step: context.stepID, item: table, description: description, targetDeduplicates: true) { key in
            let queue: DatabaseQueue
            do { queue = try pool.queue(path: path) } catch {
                throw StepError(.effectFailed, "cannot open the database \(context.workspace.relative(path)): \(error)", transient: true)
            }
            do {
                // Under a group commit the transaction is synced with the group, before the
                // ledger commits it; otherwise at its own commit.
                let deferred = context.resources.syncs.isDeferring
                if deferred { context.resources.syncs.noteDeferredWrite(path) }
                try queue.writeWithoutTransaction { db in
                    try db.cachedStatement(sql: deferred ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL").execute()
                }
                return try queue.write { db in try write(data, key: key, run: context.run.id, step: context.stepID, db: db, path: path, pool: pool) }
            } catch let e as StepError {
                throw e
            } catch let e as DatabaseError {
                let transient = e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
                throw StepError(.effectFailed, "writing table \(table) failed: \(e.message ?? "\(e.resultCode)")", transient: transient)
            }
        }
        var summary: [String: Value] = ["rows": .integer(Int64(data.rows.count))]
        if case let .alreadyDone(detail) = outcome { summary["already-done"] = .string(detail ?? "yes") }
        return StepOutput(dataset: data, summary: summary)
    }

    func sqlType(_ t: ColumnType) -> String {
        switch t {
        case .integer, .bool: "INTEGER"
        case .decimal, .string, .date, .datetime, .any: "TEXT"
        }
    }

    func quote(_ name: String) -> String { "\"" + name + "\"" }

    func write(_ data: Dataset, key effectKey: String, run: String, step: String, db: Database, path: String,
               pool: DatabaseConnectionPool) throws -> String {
        let table = configuration.table
        let keys = configuration.key ?? []
        // Schema work (creating the table, adding columns, the key's index) is done once per
        // runner for a given table and column set; later runs of a batch go straight to rows.
        let ready = "\(path)\u{0}\(table)\u{0}\(data.columns.map { $0.name + ":" + $0.type.rawValue }.joined(separator: ","))\u{0}\(mode.rawValue)"
        if !pool.isReady(ready) {
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS _sluice_effects (key TEXT PRIMARY KEY, run TEXT NOT NULL, step TEXT NOT NULL, at TEXT NOT NULL)")
            if try !db.tableExists(table) {
                var defs = data.columns.map { "\(quote($0.name)) \(sqlType($0.type))" }
                if !keys.isEmpty { defs.append("PRIMARY KEY (\(keys.map(quote).joined(separator: ", ")))") }
                try db.execute(sql: "CREATE TABLE \(quote(table)) (\(defs.joined(separator: ", ")))")
            } else {
                let existing = Set(try db.columns(in: table).map(\.name))
                for c in data.columns where !existing.contains(c.name) {
                    try db.execute(sql: "ALTER TABLE \(quote(table)) ADD COLUMN \(quote(c.name)) \(sqlType(c.type))")
                }
                if mode == .upsert {
                    try db.execute(sql: "CREATE UNIQUE INDEX IF NOT EXISTS \(quote("sluice_key_" + table)) ON \(quote(table)) (\(keys.map(quote).joined(separator: ", ")))")
                }
            }
        }
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM _sluice_effects WHERE key = ?"), arguments: [effectKey]) == true {
            return "already written by an earlier attempt"
        }
        if mode == .replace { try db.execute(sql: "DELETE FROM \(quote(table))") }
        let names = data.columns.map { quote($0.name) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: data.columns.count).joined(separator: ", ")
        var sql = "INSERT INTO \(quote(table)) (\(names)) VALUES (\(marks))"
        if mode == .upsert {
            let updates = data.columns.filter { !keys.contains($0.name) }.map { "\(quote($0.name)) = excluded.\(quote($0.name))" }
            sql += " ON CONFLICT (\(keys.map(quote).joined(separator: ", "))) DO " + (updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", "))
        }
        let statement: Statement
        do { statement = try db.cachedStatement(sql: sql) } catch {
            pool.forget(ready)
            throw error
        }
        do {
            try RowBinder.insert(data.rows, with: statement.sqliteStatement, table: table, db: db.sqliteConnection, rowNumber: data.rowNumber)
        } catch {
            pool.forget(ready)
            throw error
        }
        try db.cachedStatement(sql: "INSERT INTO _sluice_effects (key, run, step, at) VALUES (?, ?, ?, datetime('now'))").execute(arguments: [effectKey, run, step])
        pool.markReady(ready)
        return "\(mode.rawValue) \(data.rows.count) rows"
    }
}

/// Binds rows straight to a prepared SQLite statement: the hot loop of a database load.
enum RowBinder {
    /// `rowNumber` names a row in messages (the row the person sees in the source file).
    static func insert(_ rows: [[SluiceCore.Value]], with statement: OpaquePointer, table: String, db: OpaquePointer?,
                       rowNumber: (Int) -> Int = { $0 + 1 }) throws {
        // SQLITE_TRANSIENT: SQLite copies the text before the call returns.
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        for (n, row) in rows.enumerated() {
            sqlite3_reset(statement)
            for (i, v) in row.enumerated() {
                let index = Int32(i + 1)
                switch v {
                case .null: sqlite3_bind_null(statement, index)
                case let .integer(x): sqlite3_bind_int64(statement, index, x)
                case let .bool(b): sqlite3_bind_int64(statement, index, b ? 1 : 0)
                case let .string(s): bindText(s, statement, index, transient)
                default: bindText(v.description, statement, index, transient)
                }
            }
            let code = sqlite3_step(statement)
            guard code == SQLITE_DONE else {
                let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
                sqlite3_reset(statement)
                throw StepError(.effectFailed, "writing row \(rowNumber(n)) into table \(table) failed: \(message)",
                                rows: [rowNumber(n)], transient: code == SQLITE_BUSY || code == SQLITE_LOCKED)
            }
        }
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    static func bindText(_ text: String, _ statement: OpaquePointer, _ index: Int32, _ transient: sqlite3_destructor_type) {
        var text = text
        text.withUTF8 { u in
            u.withMemoryRebound(to: CChar.self) { c in
                if let base = c.baseAddress {
                    _ = sqlite3_bind_text(statement, index, base, Int32(c.count), transient)
                } else {
                    _ = sqlite3_bind_text(statement, index, "", 0, transient)
                }
            }
        }
    }
}

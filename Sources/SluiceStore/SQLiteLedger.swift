import Foundation
import GRDB
import SluiceCore

/// The ledger in an SQLite file (`.sluice/state.sqlite`): WAL mode with
/// `synchronous=FULL`, so every committed write survives a power cut. Runs are stored as
/// JSON documents with their searchable fields in columns. Inside a group each write is a
/// savepoint of the group's one transaction.
public struct SQLiteLedger: Ledger {
    let queue: DatabaseQueue

    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // A group commit's transaction spans many accesses (`beginGroup` … `commitGroup`).
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // A large run's write-ahead log is cut back after each checkpoint of it.
            try db.execute(sql: "PRAGMA journal_size_limit = 8388608")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            // A new, empty file: the pages of dropped checkpoints and removed runs go back to
            // the file system (an older ledger is converted by `compact()`).
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        try Self.migrator.migrate(queue)
    }

    /// One write: its own transaction, or a savepoint of the open group (with cached
    /// statements: a batch makes thousands).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            guard db.isInsideTransaction else {
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
            try db.cachedStatement(sql: "SAVEPOINT ledger_write").execute()
            do {
                let result = try body(db)
                try db.cachedStatement(sql: "RELEASE SAVEPOINT ledger_write").execute()
                return result
            } catch {
                try? db.execute(sql: "ROLLBACK TO SAVEPOINT ledger_write; RELEASE SAVEPOINT ledger_write")
                throw error
            }
        }
    }

    /// One read. Each read is a single statement, so it needs no transaction of its own; inside
    /// a group it sees the group's writes.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction(body)
    }

    public func beginGroup() throws {
        try queue.writeWithoutTransaction { db in
            if !db.isInsideTransaction { try db.beginTransaction(.immediate) }
        }
    }

    public func commitGroup() throws {
        try queue.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.commit() }
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: runs, inputs, effects, states, manifests") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    pipeline TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    document TEXT NOT NULL
                );
                CREATE INDEX runs_pipeline ON runs(pipeline, created_at);
                CREATE INDEX runs_status ON runs(status);
                CREATE TABLE run_inputs (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    pipeline TEXT NOT NULL,
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX run_inputs_sha ON run_inputs(pipeline, sha256);
                CREATE INDEX run_inputs_name ON run_inputs(pipeline, name, created_at);
                CREATE TABLE effects (
                    key TEXT PRIMARY KEY NOT NULL,
                    run_id TEXT NOT NULL,
                    step TEXT NOT NULL,
                    item TEXT NOT NULL,
                    state TEXT NOT NULL,
                    detail TEXT,
                    at REAL NOT NULL
                );
                CREATE INDEX effects_run ON effects(run_id);
                CREATE TABLE states (
                    pipeline TEXT NOT NULL,
                    name TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (pipeline, name)
                );
                CREATE TABLE manifests (
                    hash TEXT PRIMARY KEY NOT NULL,
                    source TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v2: checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE checkpoints (
                    run_id TEXT NOT NULL,
                    stage INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (run_id, stage)
                );
                """)
        }
        m.registerMigration("v3: open runs and effects by step") { db in
            // The daemon asks for open runs on every wake and for a pipeline's last fired
            // schedule slot at start: both are index lookups, however long the history.
            try db.execute(sql: """
                CREATE INDEX runs_open ON runs(created_at) WHERE json_extract(document, '$.phase') != 'done';
                CREATE INDEX effects_step ON effects(step, at);
                """)
        }
        m.registerMigration("v4: run inputs by run, for pruning") { db in
            try db.execute(sql: "CREATE INDEX run_inputs_run ON run_inputs(run_id)")
        }
        m.registerMigration("v5: paused pipelines") { db in
            // `sluice pause`: a paused pipeline's schedule and inbox do nothing until `sluice resume`.
            try db.execute(sql: "CREATE TABLE paused_pipelines (pipeline TEXT PRIMARY KEY, paused_at INTEGER NOT NULL)")
        }
        m.registerMigration("v6: API tokens and trigger keys", migrate: createAPITables)
        return m
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }

    func encode(_ run: RunRecord) throws -> String {
        String(decoding: try CompactJSONEncoder.encode(run), as: UTF8.self)
    }

    func decode(_ text: String) throws -> RunRecord {
        try Self.decoder().decode(RunRecord.self, from: Data(text.utf8))
    }

    public func insert(_ run: RunRecord) throws {
        try insert(run, recording: [])
    }

    public func insert(_ run: RunRecord, recording effects: [EffectRecord]) throws {
        let document = try encode(run)
        try write { db in
            for e in effects { try Self.insert(e, db) }
            try db.execute(sql: "INSERT INTO runs (id, pipeline, status, created_at, document) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run.id, run.pipeline, run.status.rawValue, run.createdAt.timeIntervalSince1970, document])
            for input in run.inputs where !input.sha256.isEmpty {
                try db.execute(sql: "INSERT INTO run_inputs (run_id, pipeline, name, sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [run.id, run.pipeline, input.name, input.sha256, run.createdAt.timeIntervalSince1970])
            }
        }
    }

    public func update(_ run: RunRecord) throws {
        let document = try encode(run)
        try write { db in
            try db.cachedStatement(sql: "UPDATE runs SET status = ?, document = ? WHERE id = ?").execute(arguments: [run.status.rawValue, document, run.id])
        }
    }

    public func run(id: String) throws -> RunRecord? {
        let text = try read { db in try String.fetchOne(db.cachedStatement(sql: "SELECT document FROM runs WHERE id = ?"), arguments: [id]) }
        return try text.map(decode)
    }

    public func runs(_ filter: RunFilter) throws -> [RunRecord] {
        var sql = "SELECT document FROM runs WHERE 1 = 1"
        var arguments: [any DatabaseValueConvertible] = []
        if let p = filter.pipeline { sql += " AND pipeline = ?"; arguments.append(p) }
        if let s = filter.status { sql += " AND status = ?"; arguments.append(s.rawValue) }
        if let since = filter.since { sql += " AND created_at >= ?"; arguments.append(since.timeIntervalSince1970) }
        sql += " ORDER BY rowid"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        let texts = try read { db in try String.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
        return try texts.map(decode)
    }

    public func isFinished(id: String) throws -> Bool? {
        try read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT json_extract(document, '$.phase') FROM runs WHERE id = ?"), arguments: [id])
        }.map { $0 == "done" }
    }

    public func unfinishedRuns() throws -> [RunRecord] {
        let texts = try read { db in
            try String.fetchAll(db, sql: "SELECT document FROM runs WHERE json_extract(document, '$.phase') != 'done' ORDER BY created_at, rowid")
        }
        return try texts.map(decode)
    }

    public func runProcessing(pipeline: String, sha256: String) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT r.id FROM run_inputs i JOIN runs r ON r.id = i.run_id
                WHERE i.pipeline = ? AND i.sha256 = ? AND r.status IN ('succeeded', 'running', 'claimed', 'waiting')
                  AND json_extract(r.document, '$.duplicateOf') IS NULL AND json_extract(r.document, '$.failure') IS NULL
                ORDER BY r.created_at LIMIT 1
                """, arguments: [pipeline, sha256])
        }
    }

    public func latestRun(pipeline: String, inputName: String) throws -> RunRecord? {
        let text = try read { db in
            try String.fetchOne(db, sql: """
                SELECT r.document FROM run_inputs i JOIN runs r ON r.id = i.run_id
                WHERE i.pipeline = ? AND i.name = ? AND r.status != 'duplicate'
                ORDER BY r.rowid DESC LIMIT 1
                """, arguments: [pipeline, inputName])
        }
        return try text.map(decode)
    }

    public func storeManifest(hash: String, source: String) throws {
        try write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO manifests (hash, source) VALUES (?, ?)").execute(arguments: [hash, source])
        }
    }

    public func manifest(hash: String) throws -> String? {
        try read { db in try String.fetchOne(db.cachedStatement(sql: "SELECT source FROM manifests WHERE hash = ?"), arguments: [hash]) }
    }

    public func effect(key: String) throws -> EffectRecord? {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM effects WHERE key = ?"), arguments: [key]) else { return nil }
            return Self.effect(row)
        }
    }

    static func effect(_ row: Row) -> EffectRecord {
        EffectRecord(key: row["key"], run: row["run_id"], step: row["step"], item: row["item"],
                     state: EffectRecord.State(rawValue: row["state"]) ?? .started, detail: row["detail"],
                     at: Date(timeIntervalSince1970: row["at"]))
    }

    public func record(_ effect: EffectRecord) throws {
        try write { db in try Self.insert(effect, db) }
    }

    static func insert(_ effect: EffectRecord, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO effects (key, run_id, step, item, state, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET state = excluded.state, detail = excluded.detail, at = excluded.at, run_id = excluded.run_id
            """, arguments: [effect.key, effect.run, effect.step, effect.item, effect.state.rawValue, effect.detail, effect.at.timeIntervalSince1970])
    }

    public func effects(run: String) throws -> [EffectRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM effects WHERE run_id = ? ORDER BY at, key", arguments: [run]).map(Self.effect)
        }
    }

    public func commitStage(_ run: RunRecord, index: Int, checkpoint: [UInt8], effects: [EffectRecord]) throws {
        let document = try encode(run)
        try write { db in
            for e in effects { try Self.insert(e, db) }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO checkpoints (run_id, stage, data) VALUES (?, ?, ?)").execute(arguments: [run.id, index, Data(checkpoint)])
            try db.cachedStatement(sql: "UPDATE runs SET status = ?, document = ? WHERE id = ?").execute(arguments: [run.status.rawValue, document, run.id])
        }
    }

    public func checkpoint(run: String, index: Int) throws -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM checkpoints WHERE run_id = ? AND stage = ?"), arguments: [run, index]).map { [UInt8]($0) }
        }
    }

    public func state(pipeline: String, name: String) throws -> Data? {
        try read { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM states WHERE pipeline = ? AND name = ?"), arguments: [pipeline, name])
        }
    }

    public func complete(_ run: RunRecord, states: [String: Data]) throws {
        let document = try encode(run)
        try write { db in
            try db.cachedStatement(sql: "UPDATE runs SET status = ?, document = ? WHERE id = ?").execute(arguments: [run.status.rawValue, document, run.id])
            for (name, data) in states {
                try db.execute(sql: "INSERT OR REPLACE INTO states (pipeline, name, run_id, data) VALUES (?, ?, ?, ?)",
                               arguments: [run.pipeline, name, run.id, data])
            }
            // A finished run is never resumed: its checkpoints go with the commit that finishes it.
            try db.cachedStatement(sql: "DELETE FROM checkpoints WHERE run_id = ?").execute(arguments: [run.id])
            try Self.releaseFreePages(db)
        }
    }

    public func latestEffect(step: String) throws -> EffectRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM effects WHERE step = ? ORDER BY at DESC LIMIT 1", arguments: [step]).map(Self.effect)
        }
    }

    public func modify(id: String, _ change: (inout RunRecord) throws -> Bool) throws -> RunRecord? {
        try write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT document FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            var run = try decode(text)
            guard try change(&run) else { return run }
            try db.execute(sql: "UPDATE runs SET status = ?, document = ? WHERE id = ?", arguments: [run.status.rawValue, try encode(run), run.id])
            return run
        }
    }
}

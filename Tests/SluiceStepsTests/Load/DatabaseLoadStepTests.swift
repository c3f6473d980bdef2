import Foundation
import GRDB
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

@Suite struct DatabaseLoadStepTests {
    @Test func upsertInsertAndReplaceWithTypes() throws {
        let h = try PipelineHarness()
        try h.pipeline("d", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        load:
          - database: { table: t_upsert, key: [k], mode: upsert }
          - database: { table: t_insert }
          - database: { table: t_replace, mode: replace }
        """)
        try h.drop("d", "a.csv", "k,amount,day,ok\n1,10.50,2026-11-20,true\n2,3,2026-11-21,false\n")
        _ = try h.runner.runBatch()
        try h.drop("d", "b.csv", "k,amount,day,ok\n2,4.25,2026-11-22,true\n3,1,2026-11-23,false\n")
        _ = try h.runner.runBatch()
        let db = try DatabaseQueue(path: h.workspace.defaultDatabase)
        let upserted: [String] = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT k, amount, day FROM t_upsert ORDER BY k").map { "\($0[0] as Int64) \($0[1] as String) \($0[2] as String)" }
        }
        let counts: [Int] = try db.read { db in
            try ["t_insert", "t_replace", "_sluice_effects"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
        }
        let type = try db.read { db in try String.fetchOne(db, sql: "SELECT type FROM pragma_table_info('t_insert') WHERE name = 'k'") }
        #expect(upserted == ["1 10.50 2026-11-20", "2 4.25 2026-11-22", "3 1 2026-11-23"])
        #expect(counts == [4, 2, 6])
        #expect(type == "INTEGER")
    }

    @Test func upsertNeedsAKey() throws {
        let h = try PipelineHarness()
        #expect(h.loadErrors("extract:\n  - csv: {}\nload:\n  - database: { table: t, mode: upsert }\n").contains { $0.contains("mode upsert needs 'key'") })
        #expect(h.loadErrors("extract:\n  - csv: {}\nload:\n  - database: { table: \"t; drop\" }\n").contains { $0.contains("may hold letters, digits and '_' only") })
    }
}

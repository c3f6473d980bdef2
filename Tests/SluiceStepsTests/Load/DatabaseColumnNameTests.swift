import Foundation
import GRDB
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// A header typed on a Mac (NFD) and one typed on Windows (NFC) name the same columns: in
/// the database, in every output, and as the manifest names them.
@Suite struct DatabaseColumnNameTests {
    static let macHeader = "De\u{0301}signation,Quantite\u{0301}\n"     // decomposed, as a Mac writes it
    static let windowsHeader = "D\u{00E9}signation,Quantit\u{00E9}\n"   // precomposed

    @Test func macAndWindowsFilesLoadIntoOneTable() throws {
        let h = try PipelineHarness()
        try h.pipeline("d", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - validate:
              columns:
                Quantit\u{00E9}: { type: integer, min: 1 }
        load:
          - database: { table: articles, key: [D\u{00E9}signation], mode: upsert }
          - csv: { file: "{{input.stem}}_out.csv" }
        """)
        try h.drop("d", "mac.csv", Self.macHeader + "Caf\u{00E9},2\nTh\u{00E9},3\n")
        let first = try h.runner.runBatch()
        #expect(first.runs[0].status == .succeeded, "\(String(describing: first.runs[0].failure))")
        try h.drop("d", "windows.csv", Self.windowsHeader + "Caf\u{00E9},5\nSucre,1\n")
        let second = try h.runner.runBatch()
        #expect(second.runs[0].status == .succeeded, "\(String(describing: second.runs[0].failure))")
        let db = try DatabaseQueue(path: h.workspace.defaultDatabase)
        let names = try db.read { db in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('articles') ORDER BY cid") }
        #expect(names.map { Array($0.utf8) } == [Array("D\u{00E9}signation".utf8), Array("Quantit\u{00E9}".utf8)])
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT \"D\u{00E9}signation\", \"Quantit\u{00E9}\" FROM articles ORDER BY 1").map { "\($0[0] as String)=\($0[1] as Int64)" }
        }
        #expect(rows == ["Caf\u{00E9}=5", "Sucre=1", "Th\u{00E9}=3"])
        // Outputs carry the names in NFC too.
        let header = try #require(h.outbox("d", "mac_out.csv")?.split(separator: "\r\n").first)
        #expect(Array(header.utf8) == Array("D\u{00E9}signation,Quantit\u{00E9}".utf8))
    }

    @Test func namesTheManifestGivesAreNFC() throws {
        let h = try PipelineHarness()
        try h.pipeline("r", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - rename: { n: "Quantite\u{0301}" }
          - compute: { "Tote\u{0301}": "Quantit\u{00E9} * 2" }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("r", "r.csv", "n\n4\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        let out = try #require(h.outbox("r", "out.csv"))
        #expect(Array(out.utf8) == Array("Quantit\u{00E9},Tot\u{00E9}\r\n4,8\r\n".utf8))
    }
}

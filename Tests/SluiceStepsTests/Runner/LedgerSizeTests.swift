import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting
import Testing

/// The ledger keeps what finished runs need to be shown and reprocessed, not their data: after
/// many large runs it holds their records, and the pages of their checkpoints went back to the
/// disk.
@Suite struct LedgerSizeTests {
    static let rows = 1_000
    static let runs = 100

    static let pipeline = """
    timezone: UTC
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
        as: lignes
    notify:
      - file: { name: "lu_{{input.stem}}.txt", text: "{{lignes.rows}} lignes" }
    """

    /// The ledger file's size once its write-ahead log is checkpointed into it (by another
    /// connection, as an operator's `sqlite3` would).
    func settledSize(_ h: PipelineHarness) throws -> Int64 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [h.workspace.ledgerPath, "PRAGMA wal_checkpoint(TRUNCATE);"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let attributes = try FileManager.default.attributesOfItem(atPath: h.workspace.ledgerPath)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    @Test func theLedgerAfterAHundredLargeRunsStaysWithinASmallMultipleOfOneRunsRecord() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.pipeline)
        // Long cells make a sizeable file (0.36 MB) of few rows: a debug build parses it quickly.
        let note = String(repeating: "Livraison à l’entrepôt de Genève — palette ", count: 7)
        let body = (0 ..< Self.rows).map { "\($0),Article \($0 % 97),\($0 % 500).\($0 % 100),\(note)\($0)" }.joined(separator: "\n")
        var input = ""
        var first: Int64 = 0
        var record: Int64 = 0
        for n in 0 ..< Self.runs {
            input = "Ligne,Produit,Montant,Note\n\(n),Lot \(n),1.00,Lausanne\n" + body + "\n"
            try h.drop("ventes", "ventes_\(n).csv", input)
            let run = try #require(try h.runner.runBatch().runs.first)
            #expect(run.status == .succeeded)
            if n == 0 {
                first = try settledSize(h)
                record = try #require(try h.ledger.runAges().first).recordBytes
            }
        }
        let last = try settledSize(h)
        // Measured: 94 kB after the first run (the tables and indexes), 254 kB after a hundred, for
        // records of 1.2 kB and inputs of 0.36 MB; a ledger that kept the pages of its checkpoints
        // was 0.46 MB after the first run, 0.62 MB after a hundred.
        #expect(first < Int64(input.utf8.count) / 2, "the first run's checkpoint pages went back to the disk: \(first) bytes")
        #expect(last < 3 * first, "a hundred runs later: \(first) → \(last) bytes")
        #expect(last - first <= Int64(Self.runs) * 3 * record, "grows by records only: \(first) → \(last) bytes, records of \(record) bytes")
    }
}

import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// `validate` reads decimals, percentages and dates as people write them, refuses a date
/// format it cannot read at validate time, and fails a run that rejects too much.
@Suite struct ValidateValuesTests {
    static func pipeline(_ columns: String, extra: String = "") -> String {
        """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: { types: text }
        transform:
          - validate:
              columns:
        \(columns)
              decimal-separator: ","
        \(extra)
        load:
          - json: { file: out.json, format: lines }
        """
    }

    @Test func percentagesGroupsAndDateSpellings() throws {
        let h = try PipelineHarness()
        try h.pipeline("v", Self.pipeline("""
                Taux: { type: decimal }
                Montant: { type: decimal }
                Date: { type: date, format: dd.mm.yyyy }
                Jour: { type: date, format: "%d/%m/%Y" }
        """))
        try h.drop("v", "v.csv", "Taux;Montant;Date;Jour\n8,1%;1 234,50;21.11.2026;21/11/2026\n12,5 %;1 23,4;31.02.2026;01/12/2026\n5%;1e3;01.01.2026;1.1.2026\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        #expect(h.outbox("v", "out.json") == """
        {"Taux":0.081,"Montant":1234.50,"Date":"2026-11-21","Jour":"2026-11-21"}

        """)
        let rejects = try #require(h.outbox("v", "v_rejects.csv"))
        #expect(rejects.contains("Montant: '1 23,4' is not a number (digits are grouped by three: 1 234 567)"), "\(rejects)")
        #expect(rejects.contains("Date: '31.02.2026' is not a date in the format dd.MM.yyyy"), "\(rejects)")
        #expect(rejects.contains("Montant: '1e3' is not a number (exponents such as 1e3 are not read)"), "\(rejects)")
    }

    @Test func aDateFormatThatCannotBeReadIsALocatedManifestError() throws {
        let h = try PipelineHarness()
        let e = h.loadErrors(Self.pipeline("""
                Date: { type: date, format: dd.mm.yyy }
                Heure: { type: date, format: "dd.MM.yyyy HH:mm" }
        """, extra: "      max-rejects: beaucoup"))
        // Located at the format itself (line 7), with the spelling to use.
        #expect(e.contains { $0.contains("t.yaml:7:") && $0.contains("error: date format 'dd.mm.yyy': 'yyy' is not a year: use yyyy (2026) or yy (26)") }, "\(e)")
        #expect(e.contains { $0.contains("has a time of day; use type: datetime") }, "\(e)")
        #expect(e.contains { $0.contains("max-rejects 'beaucoup' is neither a count of rows (10) nor a percentage of them (5%)") }, "\(e)")
        let f = h.loadErrors(Self.pipeline("        Date: { type: date }", extra: "      max-rejects: 5\n      on-invalid: fail-run"))
        #expect(f.contains { $0.contains("max-rejects has no effect with on-invalid: fail-run") }, "\(f)")
    }

    @Test func aRunThatRejectsEveryRowFails() throws {
        let h = try PipelineHarness()
        try h.pipeline("all", Self.pipeline("        Montant: { type: decimal }"))
        try h.drop("all", "tout.csv", "Montant\nabc\n1e3\n")
        let r = try h.runner.runBatch()
        let run = r.runs[0]
        #expect(run.status == .failed)
        let failure = try #require(run.failure)
        #expect(failure.message.hasPrefix("all 2 rows were rejected: row "), "\(failure.message)")
        #expect(failure.message.contains("Montant: 'abc' is not a number"), "\(failure.message)")
        #expect(failure.rows.count == 2 && failure.place?.hasPrefix("row ") == true)
        #expect(failure.hint?.contains("the rejects file tout_rejects.csv lists every bad row") == true, "\(String(describing: failure.hint))")
        #expect(failure.hint?.contains("set max-rejects") == true)
        #expect(h.outbox("all", "tout_rejects.csv")?.contains("Montant: '1e3' is not a number") == true)
        #expect(h.outbox("all", "out.json") == nil)
    }

    @Test(arguments: [
        ("1", "a\nabc\n2\nxyz\n", false), ("2", "a\nabc\n2\nxyz\n", true), ("50%", "a\nabc\n2\nxyz\n", false),
        ("66.7%", "a\nabc\n2\nxyz\n", true), ("66,7 %", "a\nabc\n2\nxyz\n", true), ("100%", "a\nabc\nxyz\n", true), ("0", "a\n1\n2\n", true), ("0", "a\n1\nx\n", false),
    ])
    func maxRejects(limit: String, data: String, succeeds: Bool) throws {
        let h = try PipelineHarness()
        try h.pipeline("m", Self.pipeline("        a: { type: integer }", extra: "      max-rejects: \"\(limit)\""))
        try h.drop("m", "m.csv", data)
        let run = try h.runner.runBatch().runs[0]
        #expect((run.status == .succeeded) == succeeds, "\(limit): \(String(describing: run.failure))")
        if !succeeds {
            #expect(run.failure?.message.contains("rows were rejected, more than max-rejects \(limit)") == true, "\(String(describing: run.failure))")
        }
    }

    @Test func noRowsIsNotAllRejected() throws {
        let h = try PipelineHarness()
        try h.pipeline("e", Self.pipeline("        a: { type: integer }"))
        try h.drop("e", "e.csv", "a\n")
        #expect(try h.runner.runBatch().runs[0].status == .succeeded)
    }
}

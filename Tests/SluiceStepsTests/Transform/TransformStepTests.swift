import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

@Suite struct TransformStepTests {
    @Test func validateReportsTypeAndColumnProblemsAtValidateTime() throws {
        let h = try PipelineHarness()
        let e = h.loadErrors("""
        extract:
          - csv: { columns: [Produit, Montant] }
        transform:
          - validate:
              columns:
                Montant: { type: decimal, min: abc, pattern: "(" }
                Prix: { type: integer }
          - aggregate: { by: [Produt], sum: [Montant] }
        """)
        #expect(e.contains { $0.contains("6:35: error: min 'abc' does not fit a decimal column") }, "\(e)")
        #expect(e.contains { $0.contains("is not a valid regular expression") })
        #expect(e.contains { $0.contains("8:23: error: unknown column 'Produt'; did you mean 'Produit'?") }, "\(e)")
    }

    @Test func validateConvertsFrenchNumbersAndDates() throws {
        let h = try PipelineHarness()
        try h.pipeline("c", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: { types: text }
        transform:
          - validate:
              columns:
                Prix: { type: decimal, min: 0 }
                Date: { type: date, format: dd.MM.yyyy }
                Code: { type: string, one-of: [A, B] }
                Ref:  { pattern: "CMD-[0-9]+", unique: true }
              decimal-separator: ","
              rules:
                - { rule: "Prix < 100 or Code = 'B'", message: "trop cher" }
        load:
          - json: { file: out.json, format: lines }
        """)
        try h.drop("c", "c.csv", "Prix;Date;Code;Ref\n1'234,50;01.02.2026;B;CMD-1\n12,5;31.12.2026;A;CMD-2\n200;01.01.2026;A;CMD-3\nx;32.01.2026;C;X\n3;01.01.2026;A;CMD-1\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded)
        #expect(h.outbox("c", "out.json") == """
        {"Prix":1234.50,"Date":"2026-02-01","Code":"B","Ref":"CMD-1"}
        {"Prix":12.5,"Date":"2026-12-31","Code":"A","Ref":"CMD-2"}

        """)
        let rejects = try #require(h.outbox("c", "c_rejects.csv"))
        #expect(rejects.contains("row 4: trop cher"))
        #expect(rejects.contains("row 5: Prix: 'x' is not a number") && rejects.contains("Date: '32.01.2026' is not a date") && rejects.contains("'C' is not one of A, B"))
        #expect(rejects.contains("row 6: Ref: 'CMD-1' already appears in row 2"))
    }

    @Test func filterComputeSelectRename() throws {
        let h = try PipelineHarness()
        try h.pipeline("t", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - filter: Montant > 5 and Produit != 'Thé'
          - compute:
              TTC: round(Montant * 1.081, 2)
              Nom: upper(Produit)
          - select: [Nom, Montant, TTC]
          - rename: { Montant: HT }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("t", "t.csv", "Produit,Montant\nCafé,12.50\nThé,9\nsucre,2\nlait,100\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        #expect(h.outbox("t", "out.csv") == "Nom,HT,TTC\r\nCAFÉ,12.50,13.51\r\nLAIT,100,108.10\r\n" || h.outbox("t", "out.csv") == "Nom,HT,TTC\r\nCAFÉ,12.50,13.51\r\nLAIT,100,108.1\r\n")
    }

    @Test func aggregateTotalsRowAndExactSums() throws {
        let h = try PipelineHarness()
        try h.pipeline("a", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - aggregate: { by: [P], sum: [M, Q], min: [M], max: [M], totals-row: Total }
        load:
          - csv: { file: out.csv }
        """)
        var text = "P,M,Q\n"
        for i in 0 ..< 1000 { text += "\(i % 2 == 0 ? "a" : "b"),0.10,\(i)\n" }
        try h.drop("a", "a.csv", text)
        _ = try h.runner.runBatch()
        #expect(h.outbox("a", "out.csv") == "P,M,Q,M_min,M_max\r\na,50.00,249500,0.10,0.10\r\nb,50.00,250000,0.10,0.10\r\nTotal,100.00,499500,0.10,0.10\r\n")
    }
}

import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

@Suite struct RunnerTests {
    static let sales = """
    triggers: { inbox: { settle: 5s } }
    extract:
      - csv: {}
        as: ventes
    transform:
      - validate:
          columns:
            Produit: { type: string, required: true }
            Montant: { type: decimal, min: 0 }
      - aggregate: { by: [Produit], sum: [Montant], avg: [Montant], count: true, totals: true }
        as: totaux
    load:
      - csv: { file: "totaux_{{run.date}}.csv", delimiter: ";" }
        from: totaux
    """

    @Test func aRunGoesThroughEveryStageAndIsArchived() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.sales)
        try h.drop("ventes", "v.csv", "Produit,Montant\nCafé,12.50\nThé,4.20\nCafé,7.00\n,1\n")
        let report = try h.runner.runBatch()
        #expect(report.succeeded && report.runs.count == 1)
        let run = report.runs[0]
        #expect(run.status == .succeeded && run.completedStages == ["extract", "transform", "load"])
        #expect(run.runDate == DateFormatter.localDate(h.clock.now()))
        let totals = try #require(h.outbox("ventes", "totaux_\(run.runDate).csv"))
        #expect(totals == "Produit;Montant;Montant_avg;count\r\nCafé;19.50;9.75;2\r\nThé;4.20;4.2;1\r\n")
        #expect(h.outbox("ventes", "v_rejects.csv")?.contains("Produit is required") == true)
        let archive = h.workspace.root + "/" + (run.archivePath ?? "")
        #expect(FileManager.default.fileExists(atPath: archive + "/v.csv"))
        #expect(FileManager.default.fileExists(atPath: archive + "/run.json"))
    }

    @Test func aYoungFileIsWaitedForOnTheClock() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.sales)
        try FileOperations.createDirectory(h.workspace.inbox("ventes"))
        let path = h.workspace.inbox("ventes") + "/v.csv"
        try FileOperations.writeAtomically("Produit,Montant\nCafé,1\n", to: path)
        try FileManager.default.setAttributes([.modificationDate: h.clock.now()], ofItemAtPath: path)
        let before = h.clock.now()
        let report = try h.runner.runBatch()
        #expect(report.runs.count == 1 && report.runs[0].status == .succeeded)
        #expect(h.clock.now().timeIntervalSince(before) >= 5)
    }

    @Test func deltaComparesWithTheLastSuccessfulRunOnly() throws {
        let h = try PipelineHarness()
        try h.pipeline("sync", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - delta: { key: [id] }
            as: changes
        load:
          - csv: { file: "changes_{{input.stem}}.csv" }
            from: changes
        """)
        try h.drop("sync", "a.csv", "id,rent\n1,100\n2,200\n3,300\n")
        var r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        #expect(h.outbox("sync", "changes_a.csv") == "id,rent,change\r\n1,100,inserted\r\n2,200,inserted\r\n3,300,inserted\r\n")
        try h.drop("sync", "b.csv", "id,rent\n1,150\n2,200\n4,400\n")
        r = try h.runner.runBatch()
        #expect(h.outbox("sync", "changes_b.csv") == "id,rent,change\r\n1,150,updated\r\n4,400,inserted\r\n3,300,deleted\r\n")
        try h.drop("sync", "c.csv", "id,rent\n4,400\n2,200\n1,150\n")
        r = try h.runner.runBatch()
        #expect(h.outbox("sync", "changes_c.csv") == "id,rent,change\r\n")
    }

    @Test func aFailedRunDoesNotCommitItsDeltaState() throws {
        let h = try PipelineHarness()
        try h.pipeline("sync", """
        triggers: { inbox: { settle: 0s } }
        retry: { attempts: 1 }
        extract:
          - csv: {}
        transform:
          - delta: { key: [id] }
            as: changes
        load:
          - csv: { file: "changes_{{input.stem}}.csv" }
            from: changes
        notify:
          - webhook: { url: "http://127.0.0.1:9/unreachable" }
        """)
        try h.drop("sync", "a.csv", "id,rent\n1,100\n")
        let failed = try h.runner.runBatch()
        #expect(failed.runs[0].status == .failed && failed.runs[0].failure?.transient == true)
        try h.drop("sync", "b.csv", "id,rent\n1,100\n2,5\n")
        _ = try h.runner.runBatch()
        // The first run failed, so the second still sees both rows as new.
        #expect(h.outbox("sync", "changes_b.csv") == "id,rent,change\r\n1,100,inserted\r\n2,5,inserted\r\n")
    }
}

extension DateFormatter {
    static func localDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: date)
    }
}

import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting
import Testing

/// A finished run keeps no checkpoint; pruning removes old finished runs with their archives
/// and nothing else.
@Suite struct PruneTests {
    static let copy = """
    timezone: UTC
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
    transform:
      - validate:
          columns:
            x: { type: integer }
          on-invalid: fail-run
    load:
      - csv: { file: "out_{{input.stem}}.csv" }
    """

    static let day: TimeInterval = 86_400

    func archive(_ h: PipelineHarness, _ run: RunRecord) -> String { h.workspace.root + "/" + (run.archivePath ?? "none") }

    @Test func aCompletedRunHasNoCheckpointLeft() throws {
        let h = try PipelineHarness()
        try h.pipeline("copy", Self.copy)
        try h.drop("copy", "a.csv", "x\n1\n2\n")
        let run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .succeeded && run.completedStages.count == 3)
        for i in 0 ..< 3 { #expect(try h.ledger.checkpoint(run: run.id, index: i) == nil) }
        // What `show` and `reprocess` read is kept.
        let kept = try #require(try h.ledger.run(id: run.id))
        #expect(kept.stageReports.count == 3 && kept.outputs.map(\.name) == ["out_a.csv"])
        let again = try h.runner.reprocess(run.id)
        #expect(again.status == .succeeded && again.reprocessOf == run.id, "reprocess starts from the archive, not from checkpoints")
    }

    @Test func aRunWaitingForItsRetryKeepsItsCheckpointAndResumesFromIt() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("sync", DaemonTests.flaky("retry: { attempts: 3, initial: 1m, jitter: false }"))
        try h.setFlag("down", true)
        try h.drop("sync", "a.csv", "x\n1\n")
        var run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .waiting && run.completedStages == ["extract"])
        #expect(try h.ledger.checkpoint(run: run.id, index: 0) != nil)
        // Pruning, however old the limit, leaves a waiting run and its checkpoint.
        h.clock.advance(by: 60)
        #expect(try h.runner.prunePlan(olderThan: .seconds(1)).items.isEmpty)
        try h.setFlag("down", false)
        run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .succeeded && run.attempt == 2)
        #expect(try h.ledger.checkpoint(run: run.id, index: 0) == nil)
    }

    @Test func pruneRemovesOldFinishedRunsAndKeepsYoungAndUnfinishedOnes() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("copy", Self.copy)
        try h.pipeline("sync", DaemonTests.flaky("retry: { attempts: 5, initial: 1m, jitter: false }"))
        try h.drop("copy", "old.csv", "x\n1\n")
        try h.drop("copy", "bad.csv", "x\nnot a number\n")
        try h.setFlag("down", true)
        try h.drop("sync", "w.csv", "x\n1\n")
        let first = try h.runner.runBatch().runs
        let old = try #require(first.first { $0.inputs[0].name == "old.csv" })
        let failed = try #require(first.first { $0.inputs[0].name == "bad.csv" })
        let waiting = try #require(first.first { $0.pipeline == "sync" })
        #expect(old.status == .succeeded && failed.status == .failed && waiting.status == .waiting)
        h.clock.advance(by: 100 * Self.day)
        try h.drop("copy", "young.csv", "x\n3\n")
        let young = try #require(try h.runner.runBatch().runs.first { $0.inputs.first?.name == "young.csv" })
        let oldArchive = archive(h, old)

        let plan = try h.runner.prunePlan(olderThan: DurationValue(parsing: "90d")!)
        #expect(Set(plan.items.map(\.run.id)) == [old.id, failed.id])
        #expect(plan.items.allSatisfy { $0.archiveBytes > 0 && $0.recordBytes > 0 })
        #expect(try h.runner.prunePlan(olderThan: DurationValue(parsing: "90d")!, pipeline: "sync").items.isEmpty)

        let report = try h.runner.prune(plan)
        #expect(report.removedRuns == 2 && report.removedArchiveBytes == plan.archiveBytes)
        #expect(try h.ledger.run(id: old.id) == nil && h.ledger.run(id: failed.id) == nil)
        #expect(!FileManager.default.fileExists(atPath: oldArchive))
        #expect(!FileManager.default.fileExists(atPath: (oldArchive as NSString).deletingLastPathComponent), "the emptied date folder goes too")
        #expect(try h.ledger.run(id: young.id)?.status == .succeeded && FileManager.default.fileExists(atPath: archive(h, young)))
        #expect(try h.ledger.run(id: waiting.id)?.status == .waiting && h.ledger.checkpoint(run: waiting.id, index: 0) != nil)
        #expect(h.outbox("copy", "out_old.csv") != nil, "published outputs are the person's: never pruned")
    }

    @Test func aDryRunChangesNothing() throws {
        let h = try PipelineHarness()
        try h.pipeline("copy", Self.copy)
        try h.drop("copy", "old.csv", "x\n1\n")
        let old = try #require(try h.runner.runBatch().runs.first)
        h.clock.advance(by: 100 * Self.day)
        let before = try h.ledger.runs(RunFilter())
        let plan = try h.runner.prunePlan(olderThan: DurationValue(parsing: "90d")!)
        #expect(plan.items.map(\.run.id) == [old.id])
        #expect(try h.ledger.runs(RunFilter()) == before)
        #expect(FileManager.default.fileExists(atPath: archive(h, old) + "/old.csv"))
    }

    @Test func aRunGoesOnlyWithItsReprocessingsWhenTheYoungestIsOld() throws {
        let h = try PipelineHarness()
        try h.pipeline("copy", Self.copy)
        try h.drop("copy", "a.csv", "x\n1\n")
        let original = try #require(try h.runner.runBatch().runs.first)
        h.clock.advance(by: 100 * Self.day)
        let again = try h.runner.reprocess(original.id)
        #expect(again.effectScope == original.effectScope)
        let ninety = DurationValue(parsing: "90d")!
        var plan = try h.runner.prunePlan(olderThan: ninety)
        #expect(plan.items.isEmpty && plan.keptWithYoungerRuns == 1, "the reprocessing shares the original's effect keys")
        h.clock.advance(by: 100 * Self.day)
        plan = try h.runner.prunePlan(olderThan: ninety)
        #expect(Set(plan.items.map(\.run.id)) == [original.id, again.id])
    }
}

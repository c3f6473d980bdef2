import Foundation
import SluiceCore
import SluiceStore
import Testing

/// Checkpoints dropped at completion, pruning, and the space given back to the disk.
@Suite struct SQLiteLedgerRetentionTests {
    let directory = NSTemporaryDirectory() + "sluice-ledger-\(UUID().uuidString)"
    var path: String { directory + "/state.sqlite" }

    func ledger() throws -> SQLiteLedger { try SQLiteLedger(path: path) }

    func record(_ id: String, at seconds: TimeInterval = 0) -> RunRecord {
        RunRecord(id: id, pipeline: "ventes", trigger: "inbox", now: Date(timeIntervalSince1970: seconds), runDate: "2026-11-21",
                  runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [RunInput(name: "\(id).csv", sha256: "sha-\(id)", size: 3, origin: "inbox/ventes/\(id).csv")])
    }

    func finished(_ run: RunRecord, at seconds: TimeInterval) -> RunRecord {
        var r = run
        r.status = .succeeded
        r.phase = .done
        r.finishedAt = Date(timeIntervalSince1970: seconds)
        return r
    }

    func sqlite(_ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fileSize(_ p: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    @Test func aCompletedRunKeepsNoCheckpointAndTheFileGivesThePagesBack() throws {
        let l = try ledger()
        let waiting = record("waiting")
        var done = record("done")
        try l.insert(waiting)
        try l.insert(done)
        let big = [UInt8](repeating: 7, count: 8 << 20)
        try l.commitStage(done, index: 0, checkpoint: big, effects: [])
        try l.commitStage(waiting, index: 0, checkpoint: [1, 2, 3], effects: [])
        var parked = waiting
        parked.status = .waiting
        try l.update(parked)
        done = finished(done, at: 10)
        try l.complete(done, states: [:])
        #expect(try l.checkpoint(run: "done", index: 0) == nil)
        #expect(try l.checkpoint(run: "waiting", index: 0) == [1, 2, 3], "a waiting run resumes from its checkpoint")
        #expect(try l.run(id: "done")?.status == .succeeded)
        _ = try sqlite("PRAGMA wal_checkpoint(TRUNCATE);")
        #expect(try sqlite("PRAGMA auto_vacuum;") == "2")
        #expect(fileSize(path) < 1 << 20, "the 8 MB checkpoint's pages went back to the disk: \(fileSize(path)) bytes")
    }

    @Test func removingRunsTakesTheirRowsAndLeavesUnfinishedRunsAndSourceKeys() throws {
        let l = try ledger()
        for id in ["old", "young", "open"] { try l.insert(record(id)) }
        try l.complete(finished(record("old"), at: 10), states: ["changes": Data([1])])
        try l.complete(finished(record("young"), at: 500), states: [:])
        for (key, run) in [("k-old", "old"), ("k-young", "young"), ("k-open", "open"), ("imap-message", "")] {
            try l.record(EffectRecord(key: key, run: run, step: "s", item: "i", state: .done, detail: nil, at: Date(timeIntervalSince1970: 1)))
        }
        let ages = try l.runAges()
        #expect(ages.map(\.id) == ["old", "young", "open"])
        #expect(ages[0].finishedAt == Date(timeIntervalSince1970: 10) && ages[2].finishedAt == nil && ages[0].effectScope == "old")
        #expect(ages.allSatisfy { $0.recordBytes > 100 })
        #expect(try l.removeRuns(ids: ["old", "open"], finishedBefore: Date(timeIntervalSince1970: 100)) == ["old"], "a run that is not finished is never removed")
        #expect(try l.run(id: "old") == nil && l.run(id: "open") != nil && l.run(id: "young") != nil)
        #expect(try l.effect(key: "k-old") == nil)
        #expect(try l.effect(key: "k-young") != nil && l.effect(key: "k-open") != nil && l.effect(key: "imap-message") != nil)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "sha-old") == nil)
        #expect(try l.state(pipeline: "ventes", name: "changes") == Data([1]), "the pipeline's stored state stays")
    }

    @Test func oldScheduleSlotsAreForgottenButEachPipelinesLatestStays() throws {
        let l = try ledger()
        for (pipeline, times) in [("a", [100.0, 200, 300]), ("b", [50.0])] {
            for t in times {
                try l.record(EffectRecord(key: "schedule-\(pipeline)-\(t)", run: "", step: Runner.scheduleStep(pipeline), item: "\(t)",
                                          state: .done, detail: nil, at: Date(timeIntervalSince1970: t)))
            }
        }
        #expect(try l.forgetScheduleSlots(before: Date(timeIntervalSince1970: 1000), pipeline: nil) == 2)
        #expect(try l.latestEffect(step: Runner.scheduleStep("a"))?.at == Date(timeIntervalSince1970: 300))
        #expect(try l.latestEffect(step: Runner.scheduleStep("b"))?.at == Date(timeIntervalSince1970: 50))
        #expect(try l.effect(key: "schedule-a-200.0") == nil)
    }

    @Test func aLedgerMadeBeforeIncrementalVacuumIsConvertedByCompact() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A table before the ledger's own: the file is no longer empty when the ledger opens it.
        _ = try sqlite("PRAGMA journal_mode = WAL; CREATE TABLE earlier (x);")
        let l = try ledger()
        #expect(try sqlite("PRAGMA auto_vacuum;") == "0")
        var run = record("r")
        try l.insert(run)
        try l.commitStage(run, index: 0, checkpoint: [UInt8](repeating: 1, count: 4 << 20), effects: [])
        run = finished(run, at: 1)
        try l.complete(run, states: [:])
        let sizes = try l.compact()
        #expect(try sqlite("PRAGMA auto_vacuum;") == "2")
        #expect(sizes.before > 4 << 20 && sizes.after < 1 << 20, "\(sizes)")
        #expect(try l.run(id: "r")?.status == .succeeded)
    }
}

import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// What the runner relies on from a ledger, checked against every implementation: the SQLite
/// ledger on a temporary file, and the in-memory one runner tests use.
@Suite struct LedgerConformanceTests {
    /// A ledger under test, with the way a crash before a group's commit is simulated.
    struct Subject: Sendable {
        var ledger: any Ledger
        /// Returns the ledger as it is after a crash with the group open.
        var crash: @Sendable () throws -> any Ledger
    }

    enum Kind: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, memory
        var testDescription: String { rawValue }

        func make() throws -> Subject {
            switch self {
            case .sqlite:
                let path = try TemporaryFolder.file("state.sqlite", label: "conformance")
                // The connection stays open (a crashed process's group is never committed); a
                // new one sees only what was committed.
                return Subject(ledger: try SQLiteLedger(path: path), crash: { try SQLiteLedger(path: path) })
            case .memory:
                let ledger = InMemoryLedger()
                return Subject(ledger: ledger, crash: { ledger.forgetOpenGroup(); return ledger })
            }
        }
    }

    func record(_ id: String, sha: String = "abc", name: String = "v.csv", at seconds: TimeInterval = 0, pipeline: String = "ventes") -> RunRecord {
        RunRecord(id: id, pipeline: pipeline, trigger: "inbox", now: Date(timeIntervalSince1970: seconds), runDate: "2026-11-21",
                  runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [RunInput(name: name, sha256: sha, size: 3, origin: "inbox/ventes/" + name)])
    }

    static let failure = RunFailure(stage: "extract", step: "extract[0].csv", message: "bad", file: "v.csv", place: "line 2", rows: [2], hint: nil, transient: false)

    @Test(arguments: Kind.allCases) func runsRoundTripWithTheirStateAndFilter(_ kind: Kind) throws {
        let l = try kind.make().ledger
        var a = record("r1", at: 10)
        try l.insert(a)
        try l.insert(record("r2", sha: "def", at: 20))
        a.status = .failed
        a.phase = .done
        a.failure = Self.failure
        a.state = .failed(Self.failure, .notify)
        a.wakeAt = Date(timeIntervalSince1970: 1_800_000_000.123)
        try l.update(a)
        #expect(try l.run(id: "r1") == a)
        #expect(try l.run(id: "nope") == nil)
        #expect(try l.runs(RunFilter(status: .failed)).map(\.id) == ["r1"])
        #expect(try l.runs(RunFilter(since: Date(timeIntervalSince1970: 15))).map(\.id) == ["r2"])
        #expect(try l.runs(RunFilter(limit: 1)).map(\.id) == ["r1"])
        #expect(try l.runs(RunFilter(pipeline: "other")).isEmpty)
        #expect(try l.unfinishedRuns().map(\.id) == ["r2"])
        #expect(try l.isFinished(id: "r1") == true && l.isFinished(id: "r2") == false && l.isFinished(id: "nope") == nil)
    }

    @Test(arguments: Kind.allCases) func aRunIsInsertedOnce(_ kind: Kind) throws {
        let l = try kind.make().ledger
        try l.insert(record("r1"))
        #expect(throws: (any Error).self) { try l.insert(record("r1")) }
    }

    @Test(arguments: Kind.allCases) func unfinishedRunsComeOldestFirst(_ kind: Kind) throws {
        let l = try kind.make().ledger
        try l.insert(record("late", sha: "1", at: 30))
        try l.insert(record("early", sha: "2", at: 10))
        #expect(try l.unfinishedRuns().map(\.id) == ["early", "late"])
        #expect(try l.runs(RunFilter()).map(\.id) == ["late", "early"], "runs() keeps the order of insertion")
    }

    @Test(arguments: Kind.allCases) func duplicatesAreFoundOnlyAmongRunsThatDidNotFail(_ kind: Kind) throws {
        let l = try kind.make().ledger
        var failed = record("r1", sha: "same")
        failed.failure = Self.failure
        try l.insert(failed)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "same") == nil)
        var ok = record("r2", sha: "same", at: 5)
        ok.status = .succeeded
        try l.insert(ok)
        var dup = record("r3", sha: "same", at: 6)
        dup.status = .duplicate
        dup.duplicateOf = "r2"
        try l.insert(dup)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "same") == "r2")
        #expect(try l.runProcessing(pipeline: "other", sha256: "same") == nil)
        #expect(try l.latestRun(pipeline: "ventes", inputName: "v.csv")?.id == "r2", "a duplicate is not the latest run of a name")
        // An input without a hash (a refused entry) is not a claim of any content.
        try l.insert(record("r4", sha: "", name: "dir", at: 7))
        #expect(try l.latestRun(pipeline: "ventes", inputName: "dir") == nil)
    }

    @Test(arguments: Kind.allCases) func effectsAreUpsertedAndListedInTimeOrder(_ kind: Kind) throws {
        let l = try kind.make().ledger
        try l.insert(record("r1"))
        let t = Date(timeIntervalSince1970: 100)
        try l.record(EffectRecord(key: "k", run: "r1", step: "load[0].database", item: "t", state: .started, detail: nil, at: t))
        #expect(try l.effect(key: "k")?.state == .started)
        try l.record(EffectRecord(key: "k", run: "r1", step: "other", item: "other", state: .done, detail: "ok", at: t + 1))
        let k = try #require(try l.effect(key: "k"))
        #expect(k.state == .done && k.detail == "ok" && k.step == "load[0].database" && k.item == "t", "a repeat keeps the step and item")
        try l.record(EffectRecord(key: "a", run: "r1", step: "notify[0].email", item: "x", state: .done, detail: nil, at: t))
        #expect(try l.effects(run: "r1").map(\.key) == ["a", "k"])
        #expect(try l.latestEffect(step: "load[0].database")?.key == "k")
        #expect(try l.latestEffect(step: "nothing") == nil)
        #expect(try l.effect(key: "nope") == nil)
    }

    @Test(arguments: Kind.allCases) func aStageCommitsItsCheckpointEffectsAndRecordTogether(_ kind: Kind) throws {
        let l = try kind.make().ledger
        var r = record("r1")
        try l.insert(r)
        r.phase = .stages
        r.completedStages = ["extract"]
        r.state = .stage(1)
        let e = EffectRecord(key: "k", run: "r1", step: "extract[0].imap", item: "uid-1", state: .done, detail: nil, at: Date(timeIntervalSince1970: 5))
        try l.commitStage(r, index: 0, checkpoint: [1, 2, 3], effects: [e])
        #expect(try l.checkpoint(run: "r1", index: 0) == [1, 2, 3])
        #expect(try l.checkpoint(run: "r1", index: 1) == nil)
        #expect(try l.effect(key: "k") == e)
        #expect(try l.run(id: "r1")?.state == .stage(1))
        // Completing stores the staged states and drops the checkpoints.
        #expect(try l.state(pipeline: "ventes", name: "changes") == nil)
        r.status = .succeeded
        r.phase = .done
        r.state = .done
        try l.complete(r, states: ["changes": Data([1, 2, 3])])
        #expect(try l.state(pipeline: "ventes", name: "changes") == Data([1, 2, 3]))
        #expect(try l.checkpoint(run: "r1", index: 0) == nil)
        #expect(try l.run(id: "r1")?.status == .succeeded)
    }

    @Test(arguments: Kind.allCases) func manifestsAreKeptByHash(_ kind: Kind) throws {
        let l = try kind.make().ledger
        try l.storeManifest(hash: "h1", source: "extract: []")
        try l.storeManifest(hash: "h1", source: "ignored")
        #expect(try l.manifest(hash: "h1") == "extract: []")
        #expect(try l.manifest(hash: "nope") == nil)
    }

    @Test(arguments: Kind.allCases) func modifyIsOneReadChangeWrite(_ kind: Kind) throws {
        let l = try kind.make().ledger
        try l.insert(record("r1"))
        let changed = try l.modify(id: "r1") { $0.cancelRequested = true; return true }
        #expect(changed?.cancelRequested == true)
        #expect(try l.run(id: "r1")?.cancelRequested == true)
        let left = try l.modify(id: "r1") { $0.cancelRequested = false; return false }
        #expect(left?.cancelRequested == false, "the closure's run is returned")
        #expect(try l.run(id: "r1")?.cancelRequested == true, "and not written")
        #expect(try l.modify(id: "nope") { _ in true } == nil)
    }

    @Test(arguments: Kind.allCases) func aGroupIsVisibleAtOnceAndForgottenWholeByACrash(_ kind: Kind) throws {
        let subject = try kind.make()
        let l = subject.ledger
        try l.insert(record("before"))
        try l.beginGroup()
        try l.insert(record("inside", sha: "def"))
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "def") == "inside")
        try l.commitGroup()
        try l.beginGroup()
        try l.insert(record("forgotten", sha: "ghi"))
        try l.storeManifest(hash: "h9", source: "x")
        #expect(try l.run(id: "forgotten") != nil)
        let after = try subject.crash()
        #expect(try after.runs(RunFilter()).map(\.id) == ["before", "inside"])
        #expect(try after.runProcessing(pipeline: "ventes", sha256: "ghi") == nil)
        #expect(try after.manifest(hash: "h9") == nil)
    }

    @Test(arguments: Kind.allCases) func finishedRunsGoWithTheirEffectsWhenTheirScopeIsFinished(_ kind: Kind) throws {
        let l = try kind.make().ledger
        func finished(_ id: String, at seconds: TimeInterval, scope: String? = nil) throws {
            var r = record(id, sha: id, at: seconds)
            if let scope { r.effectScope = scope }
            r.status = .succeeded
            r.phase = .done
            r.finishedAt = Date(timeIntervalSince1970: seconds + 1)
            try l.insert(r)
        }
        try finished("old", at: 10)
        try finished("original", at: 20)
        var reprocess = record("again", sha: "again", at: 30)
        reprocess.effectScope = "original"
        try l.insert(reprocess)
        try l.insert(record("open", sha: "open", at: 40))
        try l.record(EffectRecord(key: "e", run: "old", step: "load[0].database", item: "t", state: .done, detail: nil, at: Date(timeIntervalSince1970: 11)))
        let ages = try l.runAges()
        #expect(ages.map(\.id) == ["old", "original", "again", "open"])
        #expect(ages[0].finishedAt == Date(timeIntervalSince1970: 11) && ages[3].finishedAt == nil)
        #expect(ages.allSatisfy { $0.recordBytes > 0 })
        #expect(ages[2].effectScope == "original")
        let removed = try l.removeRuns(ids: ["old", "original", "open"], finishedBefore: Date(timeIntervalSince1970: 100))
        #expect(removed == ["old"], "the original stays while its reprocessing is unfinished; an unfinished run stays")
        #expect(try l.run(id: "old") == nil && l.effect(key: "e") == nil)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "old") == nil, "its content is new again")
        #expect(try l.removeRuns(ids: ["original"], finishedBefore: Date(timeIntervalSince1970: 15)).isEmpty)
    }

    @Test(arguments: Kind.allCases) func oldScheduleSlotsAreForgottenButEachPipelinesLatestStays(_ kind: Kind) throws {
        let l = try kind.make().ledger
        for (pipeline, seconds) in [("a", 10.0), ("a", 20), ("a", 30), ("b", 5)] {
            let step = Runner.scheduleStep(pipeline)
            try l.record(EffectRecord(key: "\(pipeline)-\(seconds)", run: "", step: step, item: "slot", state: .done, detail: nil,
                                      at: Date(timeIntervalSince1970: seconds)))
        }
        #expect(try l.forgetScheduleSlots(before: Date(timeIntervalSince1970: 25), pipeline: "a") == 2)
        #expect(try l.latestEffect(step: Runner.scheduleStep("a"))?.key == "a-30.0")
        #expect(try l.forgetScheduleSlots(before: Date(timeIntervalSince1970: 100), pipeline: nil) == 0, "each pipeline's latest stays")
        #expect(try l.effect(key: "b-5.0") != nil)
    }
}

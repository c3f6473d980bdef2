import Foundation
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTesting
import Testing

/// The SQLite ledger's tokens, trigger keys and run searches.
@Suite struct LedgerAPITablesTests {
    @Test func tokensKeepOnlyTheirHashAndAreRevokedOnce() throws {
        let ledger = try SQLiteLedger(path: try TemporaryFolder.make("tokens") + "/state.sqlite")
        let now = Date(timeIntervalSince1970: 1_795_248_000)
        let (secret, record) = APITokenSecret.make(scope: .trigger, name: "shop", at: now)
        #expect(secret.hasPrefix("sluice_") && secret.count == 7 + 64)
        try ledger.insertToken(record)
        let stored = try ledger.tokens()
        #expect(stored == [record])
        #expect(stored[0].sha256 == APITokenSecret.sha256(secret) && stored[0].sha256 != secret)
        let check = APITokenCheck(store: ledger)
        #expect(try check.record(for: secret)?.id == record.id)
        #expect(try check.record(for: secret + "x") == nil)
        #expect(try ledger.revokeToken(id: record.id, at: now + 1))
        #expect(try !ledger.revokeToken(id: record.id, at: now + 2))
        #expect(try check.record(for: secret) == nil)
        #expect(try ledger.tokens()[0].revokedAt == now + 1)
    }

    @Test func twoTokensDiffer() {
        let now = Date()
        let a = APITokenSecret.make(scope: .read, name: nil, at: now), b = APITokenSecret.make(scope: .read, name: nil, at: now)
        #expect(a.secret != b.secret && a.record.id != b.record.id)
    }

    @Test func aTriggerKeyIsClaimedOnceAndAnAbandonedOneTakenOver() throws {
        let ledger = try SQLiteLedger(path: try TemporaryFolder.make("keys") + "/state.sqlite")
        let t = Date(timeIntervalSince1970: 1_795_248_000)
        #expect(try ledger.claimTriggerKey("k", pipeline: "p", at: t, staleAfter: 60) == .claimed)
        #expect(try ledger.claimTriggerKey("k", pipeline: "p", at: t + 1, staleAfter: 60) == .pending)
        #expect(try ledger.claimTriggerKey("k", pipeline: "q", at: t + 1, staleAfter: 60) == .claimed, "keys are per pipeline")
        #expect(try ledger.claimTriggerKey("k", pipeline: "p", at: t + 61, staleAfter: 60) == .abandoned(since: t))
        try ledger.completeTriggerKey("k", pipeline: "p", runID: "r1")
        #expect(try ledger.claimTriggerKey("k", pipeline: "p", at: t + 1000, staleAfter: 60) == .started(runID: "r1"))
        try ledger.releaseTriggerKey("k", pipeline: "p")
        #expect(try ledger.claimTriggerKey("k", pipeline: "p", at: t + 1000, staleAfter: 60) == .started(runID: "r1"), "a started key stays")
        try ledger.releaseTriggerKey("k", pipeline: "q")
        #expect(try ledger.claimTriggerKey("k", pipeline: "q", at: t + 2, staleAfter: 60) == .claimed, "a released key is free")
    }

    @Test func countsAndLatestRunsPerPipeline() throws {
        let ledger = try SQLiteLedger(path: try TemporaryFolder.make("search") + "/state.sqlite")
        let t = Date(timeIntervalSince1970: 1_795_248_000)
        for (i, (pipeline, status)) in [("a", RunStatus.succeeded), ("a", .failed), ("b", .succeeded), ("a", .succeeded)].enumerated() {
            var r = RunRecord(id: "r\(i)", pipeline: pipeline, trigger: "inbox", now: t + Double(i), runDate: "2026-11-21", runTime: "08:00:00",
                              manifestHash: "h", inputs: [])
            r.status = status
            try ledger.insert(r)
        }
        #expect(try ledger.runCounts() == ["a": [.succeeded: 2, .failed: 1], "b": [.succeeded: 1]])
        #expect(try ledger.latestRuns().mapValues(\.id) == ["a": "r3", "b": "r2"])
        #expect(try ledger.searchRuns(RunQuery(pipeline: "a", limit: 2)).runs.map(\.id) == ["r3", "r1"])
    }
}

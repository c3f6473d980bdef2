import Foundation
import SluiceCore
import SluiceStore
import Testing

@Suite struct SQLiteLedgerTests {
    let directory = NSTemporaryDirectory() + "sluice-ledger-\(UUID().uuidString)"

    func ledger() throws -> SQLiteLedger { try SQLiteLedger(path: directory + "/state.sqlite") }

    func record(_ id: String, sha: String = "abc", name: String = "v.csv", at seconds: TimeInterval = 0) -> RunRecord {
        RunRecord(id: id, pipeline: "ventes", trigger: "inbox", now: Date(timeIntervalSince1970: seconds), runDate: "2026-11-21",
                  runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [RunInput(name: name, sha256: sha, size: 3, origin: "inbox/ventes/" + name)])
    }

    @Test func usesWALAndFullSynchronous() throws {
        _ = try ledger()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [directory + "/state.sqlite", "PRAGMA journal_mode;"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
    }

    @Test func groupWritesAreVisibleAtOnceAndDurableOnlyTogether() throws {
        do {
            let l = try ledger()
            try l.insert(record("before"))
            try l.beginGroup()
            try l.insert(record("inside", sha: "def"))
            // Reads in this process see the group's writes at once (duplicate detection needs it).
            #expect(try l.runProcessing(pipeline: "ventes", sha256: "def") == "inside")
            try l.commitGroup()
            try l.beginGroup()
            try l.insert(record("forgotten", sha: "ghi"))
            // Another connection sees only what was committed.
            #expect(try ledger().runs(RunFilter()).map(\.id) == ["before", "inside"])
        }
        // Closed with the group still open (as after a crash): its writes are gone.
        #expect(try ledger().runs(RunFilter()).map(\.id) == ["before", "inside"])
    }

    @Test func runsRoundTripAndFilter() throws {
        let l = try ledger()
        var a = record("r1", at: 10)
        try l.insert(a)
        try l.insert(record("r2", sha: "def", at: 20))
        a.status = .failed
        a.phase = .done
        a.failure = RunFailure(stage: "extract", step: "extract[0].csv", message: "bad", file: "v.csv", place: "line 2", rows: [2], hint: nil, transient: false)
        try l.update(a)
        #expect(try l.run(id: "r1") == a)
        #expect(try l.runs(RunFilter(status: .failed)).map(\.id) == ["r1"])
        #expect(try l.runs(RunFilter(since: Date(timeIntervalSince1970: 15))).map(\.id) == ["r2"])
        #expect(try l.unfinishedRuns().map(\.id) == ["r2"])
    }

    @Test func duplicatesAreFoundOnlyAmongRunsThatDidNotFail() throws {
        let l = try ledger()
        var failed = record("r1", sha: "same")
        failed.failure = RunFailure(stage: "x", step: "y", message: "z", file: nil, place: nil, rows: [], hint: nil, transient: false)
        try l.insert(failed)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "same") == nil)
        var ok = record("r2", sha: "same", at: 5)
        ok.status = .succeeded
        try l.insert(ok)
        #expect(try l.runProcessing(pipeline: "ventes", sha256: "same") == "r2")
        #expect(try l.runProcessing(pipeline: "other", sha256: "same") == nil)
        #expect(try l.latestRun(pipeline: "ventes", inputName: "v.csv")?.id == "r2")
    }

    @Test func effectsAndStatesCommitWithTheRun() throws {
        let l = try ledger()
        var r = record("r1")
        try l.insert(r)
        try l.record(EffectRecord(key: "k", run: "r1", step: "load[0].database", item: "t", state: .started, detail: nil, at: Date()))
        #expect(try l.effect(key: "k")?.state == .started)
        try l.record(EffectRecord(key: "k", run: "r1", step: "load[0].database", item: "t", state: .done, detail: "ok", at: Date()))
        #expect(try l.effect(key: "k")?.state == .done && l.effects(run: "r1").count == 1)
        #expect(try l.state(pipeline: "ventes", name: "changes") == nil)
        r.status = .succeeded
        r.phase = .done
        try l.complete(r, states: ["changes": Data([1, 2, 3])])
        #expect(try l.state(pipeline: "ventes", name: "changes") == Data([1, 2, 3]))
        #expect(try l.run(id: "r1")?.status == .succeeded)
    }

    @Test func manifestsAreKeptByHash() throws {
        let l = try ledger()
        try l.storeManifest(hash: "h1", source: "extract: []")
        try l.storeManifest(hash: "h1", source: "ignored")
        #expect(try l.manifest(hash: "h1") == "extract: []")
        #expect(try l.manifest(hash: "nope") == nil)
    }
}

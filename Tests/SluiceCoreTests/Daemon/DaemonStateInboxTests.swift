import Foundation
import Testing
@testable import SluiceCore

/// Inboxes in the pure state: which are looked at (a watcher's news, the rescan, polling, a
/// file's settle time), each ready file claimed once, and a paused pipeline's files waiting.
@Suite struct DaemonStateInboxTests {
    let f = DaemonStateFixture()
    let start = DaemonStateFixture.start

    @Test func theFirstTickLooksAtEveryInboxThenOnlyWhereTold() {
        var s = f.state(f.manifest("ventes"), f.manifest("stocks"), f.manifest("tick", "triggers: { schedule: hourly }"))
        #expect(s.handle(.tick(start)).map(\.label) == ["readLedger:atStart", "scan:stocks", "scan:ventes"])
        #expect(s.handle(.tick(start + 1)).isEmpty)
        _ = s.handle(.inboxesChanged(["ventes"], everything: false))
        #expect(s.handle(.tick(start + 2)).map(\.label) == ["scan:ventes"])
        #expect(s.handle(.tick(start + 60)).map(\.label) == ["scan:stocks", "scan:ventes"], "the periodic rescan")
    }

    @Test func aReadyFileIsClaimedOnceWhileItsJobRuns() {
        var s = f.state(f.manifest("ventes"))
        _ = s.handle(.tick(start))
        let a = DaemonStateFixture.file("ventes", "a.csv")
        _ = s.handle(.inboxScanned(pipeline: "ventes", ready: [a], settlesAt: nil))
        let started = s.dispatch()
        #expect(started.map(\.label) == ["claim:ventes/a.csv"])
        _ = s.handle(.inboxScanned(pipeline: "ventes", ready: [a], settlesAt: nil))
        #expect(s.dispatch().isEmpty && s.counts.pending == 0, "the file is being claimed")
        _ = s.handle(.jobFinished(started[0], result: DaemonStateFixture.run("r1", "ventes", status: .succeeded), startedFollowers: false, at: start))
        #expect(s.counts.running == 0)
    }

    @Test func aYoungFileIsLookedAtAgainWhenItSettles() {
        var s = f.state(f.manifest("ventes"))
        _ = s.handle(.tick(start))
        _ = s.handle(.inboxScanned(pipeline: "ventes", ready: [], settlesAt: start + 5))
        #expect(s.nextWake() == start + 5)
        #expect(s.handle(.tick(start + 5)).map(\.label) == ["scan:ventes"])
    }

    @Test func pollingLooksAtEveryInboxEachInterval() {
        var g = DaemonStateFixture()
        g.settings.watch = .poll
        g.settings.pollInterval = 2
        var s = g.state(g.manifest("ventes"))
        _ = s.handle(.tick(start))
        #expect(s.nextWake() == start + 2)
        #expect(s.handle(.tick(start + 1)).isEmpty)
        #expect(s.handle(.tick(start + 2)).map(\.label) == ["scan:ventes"])
    }

    @Test func aPausedPipelinesFilesWaitUntilItResumes() {
        var s = f.state(f.manifest("ventes"))
        _ = s.handle(.pausedRead(["ventes"], at: start))
        #expect(s.handle(.tick(start)).map(\.label) == ["readLedger:atStart"])
        _ = s.handle(.inboxesChanged(["ventes"], everything: false))
        #expect(s.handle(.tick(start + 1)).isEmpty)
        // `sluice resume` in another process: the ledger says so.
        _ = s.handle(.ledgerChanged)
        #expect(s.handle(.tick(start + 2)).map(\.label) == ["readLedger:again"])
        _ = s.handle(.ledgerRead(open: [], paused: [], atStart: false, at: start + 2))
        #expect(s.nextWake() == .distantPast, "the resumed inbox is looked at without waiting")
        #expect(s.handle(.tick(start + 3)).map(\.label) == ["scan:ventes"])
    }
}

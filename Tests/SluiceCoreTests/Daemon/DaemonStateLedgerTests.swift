import Foundation
import Testing
@testable import SluiceCore

/// The ledger's runs in the pure state: resumed at start, parked ones woken at their time, a
/// run never driven twice, and when the ledger is read again.
@Suite struct DaemonStateLedgerTests {
    let f = DaemonStateFixture()
    let start = DaemonStateFixture.start

    @Test func theLedgerIsReadAtStartThenWhenItChanged() {
        var s = f.state(f.manifest("ventes", "triggers: { manual: true }"))
        #expect(s.handle(.tick(start)).map(\.label) == ["readLedger:atStart"])
        #expect(s.handle(.tick(start + 1)).isEmpty)
        _ = s.handle(.ledgerChanged)
        #expect(s.handle(.tick(start + 2)).map(\.label) == ["readLedger:again"])
    }

    @Test func openRunsGoOnParkedOnesWakeAtTheirTime() {
        var s = f.state(f.manifest("ventes", "triggers: { manual: true }"))
        _ = s.handle(.tick(start))
        let open = [DaemonStateFixture.run("r1", "ventes"),
                    DaemonStateFixture.run("r2", "ventes", status: .waiting, wakeAt: start + 30),
                    DaemonStateFixture.run("r3", "ventes", status: .waiting, wakeAt: start)]
        #expect(s.handle(.ledgerRead(open: open, paused: [], atStart: true, at: start)).map(\.label) == ["resume:r1", "wake:r3"])
        #expect(s.counts.waiting == 1 && s.nextWake() == start + 30)
        #expect(s.handle(.tick(start + 30)).map(\.label) == ["wake:r2"])
    }

    @Test func aRunQueuedOrRunningIsNotResumedAgain() {
        var s = f.state(f.manifest("ventes", "triggers: { manual: true }"))
        let r1 = DaemonStateFixture.run("r1", "ventes")
        _ = s.handle(.runsReady([r1]))
        #expect(s.handle(.ledgerRead(open: [r1], paused: [], atStart: false, at: start)).isEmpty)
        let started = s.dispatch()
        #expect(started.map(\.label) == ["drive:r1"])
        #expect(s.handle(.ledgerRead(open: [r1], paused: [], atStart: false, at: start)).isEmpty)
    }

    @Test func aRunThatEndsWaitingIsParkedAndOneThatFailedOddlyMakesTheLedgerReadAgain() {
        var s = f.state(f.manifest("ventes", "triggers: { manual: true }"))
        _ = s.handle(.tick(start))
        _ = s.handle(.runsReady([DaemonStateFixture.run("r1", "ventes")]))
        let started = s.dispatch()
        _ = s.handle(.jobFinished(started[0], result: DaemonStateFixture.run("r1", "ventes", status: .waiting, wakeAt: start + 90),
                                  startedFollowers: false, at: start))
        #expect(s.counts == (running: 0, pending: 0, waiting: 1) && s.nextWake() == start + 60)
        _ = s.handle(.runsReady([DaemonStateFixture.run("r2", "ventes")]))
        let second = s.dispatch()
        _ = s.handle(.jobFinished(second[0], result: nil, startedFollowers: false, at: start))
        #expect(s.handle(.tick(start + 1)).map(\.label) == ["readLedger:again"])
    }
}

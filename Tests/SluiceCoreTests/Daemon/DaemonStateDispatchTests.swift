import Foundation
import Testing
@testable import SluiceCore

/// Queues and limits in the pure state: a pipeline's concurrency, queue priorities, the global
/// limit and reservations, and shutdown.
@Suite struct DaemonStateDispatchTests {
    let f = DaemonStateFixture()
    let start = DaemonStateFixture.start

    func drop(_ s: inout DaemonState, _ pipeline: String, _ names: String...) {
        _ = s.handle(.inboxScanned(pipeline: pipeline, ready: names.map { DaemonStateFixture.file(pipeline, $0) }, settlesAt: nil))
    }

    @Test func aPipelinesRunsGoOneAtATimeByDefault() {
        var s = f.state(f.manifest("ventes"))
        drop(&s, "ventes", "a.csv", "b.csv")
        let first = s.dispatch()
        #expect(first.map(\.label) == ["claim:ventes/a.csv"] && s.counts.pending == 1)
        #expect(s.dispatch().isEmpty)
        _ = s.handle(.jobFinished(first[0], result: nil, startedFollowers: false, at: start))
        #expect(s.dispatch().map(\.label) == ["claim:ventes/b.csv"])
    }

    @Test func concurrencyLetsSeveralGoWithinTheQueuesWorkers() {
        var s = f.state(f.manifest("ventes", "triggers: { inbox: { settle: 0s } }\nconcurrency: 5"))
        drop(&s, "ventes", "a", "b", "c")
        #expect(s.dispatch().count == 2, "the default queue has two workers")
    }

    @Test func theCriticalQueueGoesFirstAndKeepsItsReservedSlot() {
        var s = f.state(f.manifest("low", "triggers: { inbox: { settle: 0s } }\nconcurrency: 9"),
                        f.manifest("urgent", "triggers: { inbox: { settle: 0s } }\nqueue: critical"))
        drop(&s, "low", "1", "2", "3")
        drop(&s, "urgent", "x")
        #expect(s.dispatch().map(\.label) == ["claim:urgent/x", "claim:low/1", "claim:low/2"])
        var t = f.state(f.manifest("low", "triggers: { inbox: { settle: 0s } }\nconcurrency: 9"))
        drop(&t, "low", "1", "2", "3")
        #expect(t.dispatch().count == 2, "the slot critical reserves stays free")
    }

    @Test func afterShutdownNothingStartsAndNothingIsDue() {
        var s = f.state(f.manifest("ventes"))
        drop(&s, "ventes", "a.csv")
        _ = s.handle(.shutdown)
        #expect(s.dispatch().isEmpty && s.nextWake() == nil && s.handle(.tick(start)).isEmpty)
    }
}

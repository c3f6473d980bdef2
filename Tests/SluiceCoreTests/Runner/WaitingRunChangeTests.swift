import Foundation
import SluiceCore
import Testing

@Suite struct WaitingRunChangeTests {
    func run(_ status: RunStatus, waitingFor: String? = nil) -> RunRecord {
        var r = RunRecord(id: "r1", pipeline: "p", trigger: "inbox", now: Date(timeIntervalSince1970: 0), runDate: "2026-11-21",
                          runTime: "2026-11-21T08:00:00", manifestHash: "h", inputs: [])
        r.status = status
        r.waitingFor = waitingFor
        r.wakeAt = waitingFor == nil ? nil : Date(timeIntervalSince1970: 1_000_000)
        return r
    }

    let wake: (RunRecord) -> String = { _ in "2026-11-21 09:00 (Europe/Zurich)" }

    @Test func aRetryTakesOnlyARunWaitingForItsNextAttempt() {
        #expect(WaitingRunChange.retryNow.refusal(of: run(.waiting, waitingFor: "retry"), wakeText: wake) == nil)
        #expect(WaitingRunChange.retryNow.refusal(of: run(.waiting, waitingFor: "wait"), wakeText: wake)
            == "run r1 is at a wait step until 2026-11-21 09:00 (Europe/Zurich), not waiting for a retry")
        #expect(WaitingRunChange.retryNow.refusal(of: run(.succeeded), wakeText: wake) == "run r1 is succeeded, not waiting for a retry")
    }

    @Test func aCancelTakesAnyWaitingRun() {
        #expect(WaitingRunChange.cancel.refusal(of: run(.waiting, waitingFor: "retry"), wakeText: wake) == nil)
        #expect(WaitingRunChange.cancel.refusal(of: run(.waiting, waitingFor: "wait"), wakeText: wake) == nil)
        #expect(WaitingRunChange.cancel.refusal(of: run(.failed), wakeText: wake) == "run r1 is failed; only a waiting run can be cancelled")
    }

    @Test func bothWakeTheRunNowAndOnlyACancelMarksIt() {
        var retried = run(.waiting, waitingFor: "retry")
        WaitingRunChange.retryNow.apply(to: &retried)
        #expect(retried.wakeAt == Date(timeIntervalSince1970: 0) && retried.cancelRequested == nil)
        var cancelled = run(.waiting, waitingFor: "wait")
        WaitingRunChange.cancel.apply(to: &cancelled)
        #expect(cancelled.wakeAt == Date(timeIntervalSince1970: 0) && cancelled.cancelRequested == true)
    }
}

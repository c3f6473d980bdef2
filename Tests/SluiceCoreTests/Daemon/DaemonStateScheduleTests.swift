import Foundation
import Testing
@testable import SluiceCore

/// Schedules in the pure state: a slot fires at its time, once; missed slots follow the
/// misfire policy; a paused pipeline skips its slots; the next wake is the next slot.
@Suite struct DaemonStateScheduleTests {
    let f = DaemonStateFixture()
    let start = DaemonStateFixture.start

    func hourly(_ misfire: String = "once") -> Manifest { f.manifest("tick", "triggers: { schedule: every hour, misfire: \(misfire) }") }

    @Test func aSlotFiresAtItsTimeAndOnce() {
        var s = f.state(hourly())
        #expect(s.nextFires["tick"] == start + 3600)
        #expect(s.handle(.tick(start + 3599)).map(\.label) == ["readLedger:atStart"])
        #expect(s.handle(.tick(start + 3600)).map(\.label) == ["startScheduled:tick×1"])
        #expect(s.handle(.tick(start + 3600)).isEmpty)
        #expect(s.nextFires["tick"] == start + 7200)
    }

    @Test func theNextWakeIsTheRescanOrTheNextSlot() {
        var s = f.state(hourly())
        _ = s.handle(.tick(start))
        #expect(s.nextWake() == start + 60, "the periodic inbox rescan comes before the slot")
        var settings = f.settings
        settings.rescanInterval = 86_400
        var g = DaemonStateFixture()
        g.settings = settings
        var t = g.state(hourly())
        _ = t.handle(.tick(start))
        #expect(t.nextWake() == start + 3600)
    }

    @Test(arguments: [("skip", 0), ("once", 1), ("{ policy: all, cap: 3 }", 3), ("all", 5)])
    func slotsMissedWhileDownFollowTheMisfirePolicy(policy: String, expected: Int) {
        // The last slot fired at 09:00; the daemon starts again at 14:30.
        let restart = start + 6.5 * 3600
        var s = DaemonState(settings: f.settings, startedAt: restart, workspaceRoot: "/ws")
        let m = hourly(policy)
        #expect(s.handle(.manifestsLoaded(["tick": m], changed: ["tick"], at: restart)).map(\.label) == ["readLastSlot:tick"])
        _ = s.handle(.lastSlotRead(pipeline: "tick", last: start + 3600))
        let actions = s.handle(.tick(restart))
        let slots = actions.compactMap { if case let .startScheduled(_, slots, _) = $0 { slots } else { nil } }.flatMap { $0 }
        #expect(slots.count == expected)
        #expect(actions.contains { if case .notice = $0 { true } else { false } }, "the missed slots are told")
        #expect(s.nextFires["tick"] == start + 7 * 3600)
    }

    @Test func aPausedPipelineSkipsItsSlotsAndFiresAgainOnceResumed() {
        var s = f.state(hourly())
        _ = s.handle(.pausedChanged(pipeline: "tick", paused: true, at: start))
        #expect(s.handle(.tick(start + 3600)).map(\.label) == ["notice", "readLedger:atStart"])
        #expect(s.nextFires["tick"] == start + 7200)
        _ = s.handle(.pausedChanged(pipeline: "tick", paused: false, at: start + 3700))
        #expect(s.handle(.tick(start + 7200)).map(\.label) == ["startScheduled:tick×1"])
    }

    @Test func aChangedScheduleStartsOverFromItsLastSlot() {
        var s = f.state(hourly())
        let daily = f.manifest("tick", "triggers: { schedule: daily at 09:00 }")
        #expect(s.handle(.manifestsLoaded(["tick": daily], changed: ["tick"], at: start)).map(\.label) == ["readLastSlot:tick"])
        _ = s.handle(.lastSlotRead(pipeline: "tick", last: nil))
        #expect(s.nextFires["tick"] == start + 3600, "09:00 UTC")
        // The same text again keeps the schedule's state: nothing to read.
        #expect(s.handle(.manifestsLoaded(["tick": daily], changed: [], at: start)).isEmpty)
        #expect(s.handle(.manifestsLoaded([:], changed: [], at: start)).isEmpty)
        #expect(s.nextFires.isEmpty)
    }
}

import Foundation
import Testing
@testable import SluiceCore

/// Which slots of a schedule are due, and what the misfire policy makes of the ones missed
/// while the daemon was down: a pure computation on instants.
@Suite struct ScheduleTriggerDueTests {
    let clock = ScheduleClock(cron: try! Schedule("every hour").cron, timeZone: TimeZone(identifier: "UTC")!)
    let started = Date(timeIntervalSince1970: 1_800_000_000).addingTimeInterval(-1_800_000_000.truncatingRemainder(dividingBy: 3600))

    func due(missedHours: Int, misfire: MisfirePolicy, now offset: TimeInterval = 0) -> ScheduleTrigger.DueSlots {
        ScheduleTrigger.due(from: started - Double(missedHours) * 3600, clock: clock, now: started + offset, startedAt: started, misfire: misfire)
    }

    @Test func nothingIsDueBeforeTheFirstSlot() {
        let d = ScheduleTrigger.due(from: started + 3600, clock: clock, now: started, startedAt: started, misfire: .once)
        #expect(d.fire.isEmpty && d.missed == 0 && d.next == started + 3600)
    }

    @Test func aSlotOnTimeFires() {
        let d = due(missedHours: 0, misfire: .skip)
        #expect(d.fire == [started] && d.missed == 0 && d.caughtUp == 0 && d.next == started + 3600)
    }

    @Test func skipDropsTheMissedSlots() {
        let d = due(missedHours: 3, misfire: .skip, now: -1)
        #expect(d.fire.isEmpty && d.missed == 3 && d.next == started)
    }

    @Test func onceCatchesUpTheLastMissedSlot() {
        let d = due(missedHours: 3, misfire: .once, now: -1)
        #expect(d.fire == [started - 3600] && d.caughtUp == 1)
    }

    @Test func onceDoesNotCatchUpWhenASlotIsOnTime() {
        let d = due(missedHours: 3, misfire: .once)
        #expect(d.fire == [started] && d.missed == 3 && d.caughtUp == 0)
    }

    @Test func allCatchesUpTheLastOnesUpToItsCap() {
        let d = due(missedHours: 5, misfire: .all(cap: 2))
        #expect(d.fire == [started - 7200, started - 3600, started] && d.caughtUp == 2)
    }
}

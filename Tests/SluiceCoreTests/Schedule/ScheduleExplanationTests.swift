import Foundation
import SluiceCore
import Testing

@Suite struct ScheduleExplanationTests {
    let zurich = TimeZone(identifier: "Europe/Zurich")!

    /// 2026-03-28T00:00 in Zurich (+01:00); clocks go forward on the 29th at 02:00.
    let beforeSpring = Date(timeIntervalSince1970: 1_774_652_400)

    @Test func theDayClocksGoForwardIsMarkedAndTheMissingTimeSaidSo() throws {
        let e = ScheduleExplanation(schedule: try Schedule("daily at 02:30"), zone: zurich, from: beforeSpring, count: 3, french: false)
        let d = e.document
        #expect(d.cron == "30 2 * * *" && d.timezone == "Europe/Zurich" && d.from == "2026-03-28T00:00:00+01:00")
        #expect(d.fires.map(\.at) == ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
        #expect(d.fires.map(\.note) == [
            nil, "daylight-saving change: +01:00 → +02:00; the scheduled time does not exist this day (clocks went forward)", nil,
        ])
    }

    @Test func aFireAfterClocksGoBackIsMarkedWithTheNewOffset() throws {
        // Clocks go back in Zurich on 2026-10-25 at 03:00 (+02:00 → +01:00).
        let from = Date(timeIntervalSince1970: 1_792_832_400)  // 2026-10-24T09:00:00Z
        let d = ScheduleExplanation(schedule: try Schedule("daily at 12:00"), zone: zurich, from: from, count: 2, french: false).document
        #expect(d.fires.map(\.at) == ["2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00"])
        #expect(d.fires.map(\.note) == [nil, "daylight-saving change: +02:00 → +01:00"])
    }

    @Test func offsetsAndInstantsAreWrittenAsISO8601() {
        #expect(ScheduleExplanation.offset(-18_000) == "-05:00" && ScheduleExplanation.offset(19_800) == "+05:30")
        #expect(ScheduleExplanation.iso(beforeSpring, zurich) == "2026-03-28T00:00:00+01:00")
    }

    @Test func aStartTimeIsAnInstantOrAWallClockTimeInTheZoneAndAMissingOneIsTheEndOfTheGap() {
        #expect(ScheduleExplanation.instant("2026-03-28T00:00", in: zurich) == beforeSpring)
        #expect(ScheduleExplanation.instant("2026-03-28", in: zurich) == beforeSpring)
        #expect(ScheduleExplanation.instant("2026-03-27T23:00:00Z", in: zurich) == beforeSpring)
        // 02:30 does not exist on 2026-03-29 in Zurich: clocks jump from 02:00 to 03:00 (01:00Z).
        #expect(ScheduleExplanation.instant("2026-03-29T02:30", in: zurich) == Date(timeIntervalSince1970: 1_774_746_000))
        #expect(ScheduleExplanation.instant("last week", in: zurich) == nil)
    }
}

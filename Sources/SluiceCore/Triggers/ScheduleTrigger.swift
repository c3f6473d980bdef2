import Foundation
import Yams

/// `schedule:` — a run for each slot of a schedule (`daily at 08:00`, `cron "0 9 * * 1-5"`), in
/// the pipeline's time zone; `misfire:` says what to do about slots missed while the daemon was
/// not running. The daemon fires the slots; each slot gets one run, whatever crashes.
public struct ScheduleTrigger: WatchedTrigger {
    public struct Configuration: Decodable, Sendable, Hashable {
        /// The schedule, parsed; its `text` is what the manifest wrote.
        public var schedule: Schedule
        /// What to do about slots missed while the daemon was down (from `misfire:`).
        public var misfire: MisfirePolicy

        public init(schedule: Schedule, misfire: MisfirePolicy = .once) {
            self.schedule = schedule
            self.misfire = misfire
        }

        public init(from decoder: any Decoder) throws {
            let at = (decoder as? any LocatedDecoder)?.location
            guard let text = try? decoder.singleValueContainer().decode(String.self) else {
                throw ManifestDecodingError("'schedule' is one text, e.g. 'daily at 08:00' or 'cron \"0 9 * * 1-5\"'", at: at)
            }
            do { self.init(schedule: try Schedule(text)) } catch {
                throw ManifestDecodingError(error.description, at: at)
            }
        }

        /// The clock that gives its slots in `timeZone`.
        public func clock(in timeZone: TimeZone) -> ScheduleClock { ScheduleClock(cron: schedule.cron, timeZone: timeZone) }
    }

    public static let key = "schedule"
    public static let companionKeys = ["misfire"]
    public static let documentation = TriggerDocumentation(
        summary: "A run for each slot of a schedule, in the pipeline's `timezone:`; `sluice schedule` lists the next ones. The daemon (`sluice serve`) fires them; each slot gets exactly one run.",
        fields: [
            .init("schedule", "text", required: true, "A schedule in words, English or French (`every 15 minutes`, `daily at 08:00`, `every weekday at 09:30`, `le 1er du mois à 06:00`), or `cron \"0 9 * * 1-5\"`."),
            .init("misfire", "skip, once, all, or { policy: all, cap: N }", default: "once", "Slots missed while the daemon was not running: none, one catch-up run, or every missed slot (at most `cap`, 100 by default)."),
        ],
        example: """
        triggers:
          schedule: every weekday at 07:30
          misfire: { policy: all, cap: 24 }
        """)

    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        var configuration: Configuration?
        do {
            configuration = try input.decoder.decode(Configuration.self, from: input.node, context: "in trigger 'schedule'", diagnostics: &diagnostics)
        } catch {
            diagnostics.append(decodingDiagnostic(error, path: input.decoder.file))
        }
        if let node = input.companions["misfire"] {
            let policy = MisfirePolicy.read(node, file: input.decoder.file, diagnostics: &diagnostics)
            configuration?.misfire = policy
        }
        return configuration
    }

    /// A pipeline's schedule as the daemon follows it: the first slot not yet fired.
    public struct Watch: Sendable {
        var text: String
        var clock: ScheduleClock
        var misfire: MisfirePolicy
        var next: Date?
    }

    /// A schedule starts after the last slot it fired (read from the ledger).
    public static let startsFromLastRun = true

    public static func watch(_ configuration: Configuration, of manifest: Manifest, lastRun: Date?, look: TriggerLook) -> Watch {
        let clock = configuration.clock(in: manifest.timeZone)
        return Watch(text: configuration.schedule.text, clock: clock, misfire: configuration.misfire, next: clock.next(after: lastRun ?? look.startedAt))
    }

    /// A schedule whose text or time zone changed starts over from its last fired slot; a new
    /// misfire policy applies at once.
    public static func keep(_ watch: inout Watch, for configuration: Configuration, of manifest: Manifest, look: TriggerLook) -> Bool {
        guard configuration.schedule.text == watch.text && manifest.timeZone == watch.clock.timeZone else { return false }
        watch.misfire = configuration.misfire
        return true
    }

    /// The slots due (a paused pipeline skips them, said in a notice), and a notice of those
    /// missed while the daemon was down.
    public static func due(_ configuration: Configuration, watch: inout Watch, of manifest: Manifest, look: TriggerLook) -> [TriggerWork] {
        guard let next = watch.next, next <= look.now else { return [] }
        let due = due(from: next, clock: watch.clock, now: look.now, startedAt: look.startedAt, misfire: watch.misfire)
        watch.next = due.next
        let name = manifest.name
        if look.paused {
            return due.fire.isEmpty ? [] : [.notice("\(name) is paused: \(due.fire.count) scheduled run(s) skipped")]
        }
        var work: [TriggerWork] = []
        if due.missed > 0 {
            work.append(.notice("\(name): \(due.missed) scheduled run\(due.missed == 1 ? "" : "s") missed while sluice was not running; misfire policy \(watch.misfire): \(due.caughtUp) caught up"))
        }
        if !due.fire.isEmpty { work.append(.startRuns(slots: due.fire)) }
        return work
    }

    public static func nextLook(_ watch: Watch) -> Date? { watch.next }

    /// The slots due by `now` from `next` (the first not yet fired), and what the misfire
    /// policy makes of those missed while the daemon was down (slots more than a minute older
    /// than `startedAt`).
    public static func due(from next: Date?, clock: ScheduleClock, now: Date, startedAt: Date, misfire: MisfirePolicy) -> DueSlots {
        var slots: [Date] = []
        var slot = next
        var missed = 0
        while let s = slot, s <= now, slots.count < 100_000 {
            slots.append(s)
            if s < startedAt - 60 { missed += 1 }
            slot = clock.next(after: s)
        }
        let missedSlots = slots.prefix(missed)
        let onTime = Array(slots.dropFirst(missed))
        var fire = onTime
        switch misfire {
        case .skip: break
        case .once: if onTime.isEmpty, let last = missedSlots.last { fire = [last] }
        case let .all(cap): fire = Array(missedSlots.suffix(cap)) + onTime
        }
        return DueSlots(fire: fire, missed: missed, caughtUp: fire.count - onTime.count, next: slot)
    }

    /// What `due` found.
    public struct DueSlots: Sendable, Equatable {
        /// The slots to start runs for, in order.
        public var fire: [Date]
        /// How many slots were missed while the daemon was down.
        public var missed: Int
        /// How many of the missed ones are caught up (in `fire`).
        public var caughtUp: Int
        /// The first slot after these.
        public var next: Date?
    }
}

import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting
import Testing

/// The daemon with a test clock and an inline executor: every tick does its work at once,
/// and time moves only when the test moves it.
@Suite struct DaemonTests {
    static let copy = """
    timezone: UTC
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
    load:
      - csv: { file: "out_{{input.stem}}.csv" }
    """

    /// An inbox pipeline whose load step is the test's `flaky` step.
    static func flaky(_ top: String = "", step: String = "flaky: { flag: down }") -> String {
        """
        timezone: UTC
        triggers: { inbox: { settle: 0s } }
        \(top)
        extract:
          - csv: {}
        load:
          - \(step)
        """
    }

    static func scheduled(_ schedule: String, misfire: String? = nil) -> String {
        """
        timezone: UTC
        triggers:
          inbox: false
          schedule: \(schedule)
        \(misfire.map { "  misfire: \($0)" } ?? "")
        extract:
          - files: {}
        notify:
          - file: { name: "tick_{{run.id}}.txt", text: "{{run.time}}" }
        """
    }

    @Test func aDroppedFileIsClaimedOnTheNextTick() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        let d = h.daemon()
        d.tick()
        try h.drop("ventes", "a.csv", "x,y\n1,2\n")
        d.noteChanges(inboxes: ["ventes"])
        d.tick()
        let runs = try h.runs()
        #expect(runs.count == 1 && runs[0].status == .succeeded && runs[0].trigger == "inbox")
        #expect(h.outbox("ventes", "out_a.csv") != nil)
        #expect(!FileManager.default.fileExists(atPath: h.workspace.work(runs[0].id)), "the finished run's work folder is removed")
    }

    @Test func aFileStillBeingWrittenIsClaimedOnlyAfterItSettles() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy.replacingOccurrences(of: "settle: 0s", with: "settle: 5s"))
        try FileOperations.createDirectory(h.workspace.inbox("ventes"))
        let path = h.workspace.inbox("ventes") + "/a.csv"
        try FileOperations.writeAtomically("x\n1\n", to: path)
        try FileManager.default.setAttributes([.modificationDate: h.clock.now()], ofItemAtPath: path)
        let d = h.daemon()
        let next = d.tick()
        #expect(try h.runs().isEmpty && next == h.clock.now() + 5, "the next tick is when the file can have settled")
        h.clock.advance(by: 5)
        d.tick()
        #expect(try h.runs().first?.status == .succeeded)
    }

    @Test func withPollingTheInboxIsLookedAtEveryInterval() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        var settings = DaemonSettings.standard
        settings.watch = .poll
        settings.pollInterval = 2
        let d = h.daemon(settings: settings)
        #expect(d.tick() == h.clock.now() + 2)
        try h.drop("ventes", "a.csv", "x\n1\n")
        d.tick() // no watcher said anything, and the interval has not passed
        #expect(try h.runs().isEmpty)
        h.clock.advance(by: 2)
        d.tick()
        #expect(try h.runs().first?.status == .succeeded)
    }

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func aScheduleFiresOncePerSlotAtItsTime() throws {
        let h = try PipelineHarness() // the clock starts at 2026-11-21T08:00:00Z
        try h.pipeline("tick", Self.scheduled("daily at 09:00"))
        let d = h.daemon()
        let wake = d.tick()
        let next = try #require(d.nextFires["tick"])
        #expect(try h.runs().isEmpty)
        #expect(next == Self.at("2026-11-21T09:00:00Z"))
        #expect(wake == h.clock.now() + 60, "the next tick is the periodic inbox rescan, before the schedule")
        h.clock.sleep(until: next - 1)
        d.tick()
        #expect(try h.runs().isEmpty)
        h.clock.sleep(until: next)
        d.tick()
        d.tick()
        let runs = try h.runs()
        #expect(runs.count == 1 && runs[0].trigger == "schedule" && runs[0].status == .succeeded)
        #expect(runs[0].scheduledFor == next && runs[0].runTime.hasPrefix("2026-11-21T09:00"))
        #expect(d.nextFires["tick"] == Self.at("2026-11-22T09:00:00Z"))
        // A restart at the same instant does not fire the slot again.
        h.daemon().tick()
        #expect(try h.runs().count == 1)
    }

    @Test(arguments: [("skip", 0), ("once", 1), ("{ policy: all, cap: 3 }", 3), ("all", 5)])
    func slotsMissedWhileDownFollowTheMisfirePolicy(policy: String, expected: Int) throws {
        let h = try PipelineHarness()
        try h.pipeline("tick", Self.scheduled("every 1 hours", misfire: policy))
        let first = h.daemon()
        first.tick()
        h.clock.sleep(until: Self.at("2026-11-21T09:00:00Z"))
        first.tick()
        #expect(try h.runs().count == 1)
        // Down from 09:00 to 14:30: the 10:00 to 14:00 slots were missed.
        h.clock.sleep(until: Self.at("2026-11-21T14:30:00Z"))
        let d = h.daemon()
        d.tickUntilQuiet()
        let caught = try h.runs().dropFirst()
        #expect(caught.count == expected)
        #expect(caught.allSatisfy { $0.status == .succeeded && $0.trigger == "schedule" })
        if expected == 1 { #expect(caught.first?.scheduledFor == Self.at("2026-11-21T14:00:00Z")) }
        if expected == 3 { #expect(caught.map(\.scheduledFor) == ["12", "13", "14"].map { Self.at("2026-11-21T\($0):00:00Z") }) }
        #expect(d.nextFires["tick"] == Self.at("2026-11-21T15:00:00Z"))
    }

    @Test func aTransientFailureWaitsForItsNextAttemptOnTheClock() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("sync", Self.flaky("retry: { attempts: 5, backoff: exponential, initial: 1m, max: 1h, jitter: false }"))
        try h.setFlag("down", true)
        try h.drop("sync", "a.csv", "x\n1\n")
        let d = h.daemon()
        d.tick()
        var run = try #require(try h.runs().first)
        #expect(run.status == .waiting && run.waitingFor == "retry" && run.attempt == nil)
        #expect(run.wakeAt == h.clock.now() + 60 && run.retryError?.message == "the service is unavailable")
        #expect(run.completedStages == ["extract"], "the extract checkpoint is kept for the retry")
        h.clock.advance(by: 59)
        d.tick()
        #expect(FlakyStep.calls(h, "down") == 1, "nothing happens before the wake time")
        h.clock.advance(by: 1)
        d.tick()
        run = try #require(try h.runs().first)
        #expect(run.status == .waiting && run.attempt == 2 && run.wakeAt == h.clock.now() + 120, "the delay doubles")
        // A restart keeps the waiting run, its attempt count and its wake time.
        try h.setFlag("down", false)
        let restarted = h.daemon()
        restarted.tick()
        #expect(try h.runs().first?.status == .waiting)
        h.clock.advance(by: 120)
        restarted.tick()
        run = try #require(try h.runs().first)
        #expect(run.status == .succeeded && run.attempt == 3 && FlakyStep.calls(h, "down") == 3)
        #expect(FileManager.default.fileExists(atPath: h.workspace.root + "/" + (run.archivePath ?? "") + "/a.csv"))
    }

    @Test func aPoisonInputStopsAfterItsBudgetAndIsArchivedWithItsError() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("sync", Self.flaky("retry: { attempts: 3, initial: 10s, jitter: false }"))
        try h.setFlag("down", true)
        try h.drop("sync", "a.csv", "x\n1\n")
        let d = h.daemon()
        for _ in 0 ..< 10 {
            d.tick()
            h.clock.advance(by: 3600)
        }
        let run = try #require(try h.runs().first)
        #expect(run.status == .failed && FlakyStep.calls(h, "down") == 3)
        #expect(run.failure?.message == "the service is unavailable (attempt 3 of 3: no attempts left)")
        let archive = h.workspace.root + "/" + (run.archivePath ?? "")
        #expect(FileManager.default.fileExists(atPath: archive + "/a.csv") && FileManager.default.fileExists(atPath: archive + "/error.json"))
    }

    @Test func aPermanentFailureIsNotRetriedAndStepRetryOverridesThePipelines() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("p", Self.flaky(step: "flaky: { flag: bad, permanent: true }"))
        try h.pipeline("q", """
        triggers: { inbox: { settle: 0s } }
        retry: { attempts: 10 }
        extract:
          - csv: {}
        load:
          - flaky: { flag: down }
            retry: { attempts: 1 }
        """)
        try h.setFlag("bad", true)
        try h.setFlag("down", true)
        try h.drop("p", "a.csv", "x\n1\n")
        try h.drop("q", "b.csv", "x\n1\n")
        h.daemon().tickUntilQuiet()
        let runs = try h.runs()
        #expect(runs.count == 2 && runs.allSatisfy { $0.status == .failed })
        #expect(FlakyStep.calls(h, "bad") == 1 && FlakyStep.calls(h, "down") == 1)
    }

    @Test func retryAfterFromTheServerIsHonouredWhenLonger() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("p", Self.flaky("retry: { initial: 1s, jitter: false }", step: "flaky: { flag: down, retryAfter: 900 }"))
        try h.setFlag("down", true)
        try h.drop("p", "a.csv", "x\n1\n")
        h.daemon().tick()
        #expect(try h.runs().first?.wakeAt == h.clock.now() + 900)
    }

    @Test func aWaitStepParksTheRunAcrossRestartsUntilTheNextBusinessDay() throws {
        let h = try PipelineHarness()
        try h.pipeline("relance", """
        timezone: Europe/Zurich
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        load:
          - csv: { file: "first_{{input.stem}}.csv" }
        notify:
          - wait: until 09:00 next business day
          - file: { name: "reminder_{{input.stem}}.txt", text: "{{rows.count}} lines" }
        """)
        try h.drop("relance", "f.csv", "x\n1\n2\n")
        h.daemon().tick()
        var run = try #require(try h.runs().first)
        // Saturday 2026-11-21 09:00 in Zurich: the next business day is Monday the 23rd, 09:00 (08:00Z).
        #expect(run.status == .waiting && run.waitingFor == "wait")
        #expect(run.wakeAt == ISO8601DateFormatter().date(from: "2026-11-23T08:00:00Z"))
        #expect(h.outbox("relance", "first_f.csv") != nil && h.outbox("relance", "reminder_f.txt") == nil)
        h.clock.sleep(until: ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z")!)
        h.daemon().tick()
        #expect(try h.runs().first?.status == .waiting)
        h.clock.sleep(until: ISO8601DateFormatter().date(from: "2026-11-23T08:00:00Z")!)
        h.daemon().tick()
        run = try #require(try h.runs().first)
        #expect(run.status == .succeeded && h.outbox("relance", "reminder_f.txt") == "2 lines")
    }

    @Test func waitSpecsComputeTheirWakeTime() throws {
        let zurich = TimeZone(identifier: "Europe/Zurich")!
        let friday = ISO8601DateFormatter().date(from: "2026-11-20T16:00:00Z")! // 17:00 in Zurich
        func wake(_ s: String, _ from: Date = friday) throws -> String { try WaitSpec(s).wake(from: from, in: zurich).iso8601 }
        #expect(try wake("2d") == "2026-11-22T16:00:00Z")
        #expect(try wake("until 09:00") == "2026-11-21T08:00:00Z")
        #expect(try wake("until 18:00") == "2026-11-20T17:00:00Z")
        #expect(try wake("until 09:00 tomorrow") == "2026-11-21T08:00:00Z")
        #expect(try wake("until 09:00 next business day") == "2026-11-23T08:00:00Z")
        // 02:30 does not exist on 2027-03-28 in Zurich: the run wakes when the gap ends (03:00 CEST).
        #expect(try wake("until 02:30", ISO8601DateFormatter().date(from: "2027-03-27T22:00:00Z")!) == "2027-03-28T01:00:00Z")
        #expect(throws: ScheduleError.self) { try WaitSpec("until 25:00") }
        #expect(throws: ScheduleError.self) { try WaitSpec("soon") }
    }

    @Test func aCancelledWaitingRunFailsAndItsInputIsArchived() throws {
        let h = try PipelineHarness.withFlakyStep()
        try h.pipeline("p", Self.flaky())
        try h.setFlag("down", true)
        try h.drop("p", "a.csv", "x\n1\n")
        let d = h.daemon()
        d.tick()
        let waiting = try #require(try h.runs().first)
        _ = try h.ledger.modify(id: waiting.id) { $0.cancelRequested = true; $0.wakeAt = Date(timeIntervalSince1970: 0); return true }
        d.noteLedgerChanged()
        d.tick()
        let run = try #require(try h.runs().first)
        #expect(run.status == .failed && run.failure?.message.hasPrefix("cancelled while waiting for its next attempt") == true)
        #expect(FileManager.default.fileExists(atPath: h.workspace.root + "/" + (run.archivePath ?? "") + "/a.csv"))
    }

    @Test func onFailureStepsRunOncePerFailedRun() throws {
        let h = try PipelineHarness()
        try h.pipeline("p", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - validate: { columns: { n: { type: integer, required: true } }, on-invalid: fail-run }
        load:
          - csv: { file: "out.csv" }
        on-failure:
          - file: { name: "alert_{{run.id}}.txt", text: "{{run.pipeline}} failed at {{run.error.step}}: {{run.error.message}}" }
        """)
        try h.drop("p", "bad.csv", "n\nabc\n")
        try h.drop("p", "good.csv", "n\n1\n")
        h.daemon().tickUntilQuiet()
        let runs = try h.runs()
        let failed = try #require(runs.first { $0.status == .failed })
        #expect(runs.count == 2 && runs.contains { $0.status == .succeeded })
        let alerts = try FileManager.default.contentsOfDirectory(atPath: h.workspace.outbox("p")).filter { $0.hasPrefix("alert_") }
        #expect(alerts == ["alert_\(failed.id).txt"])
        #expect(h.outbox("p", alerts[0])?.hasPrefix("p failed at transform[0].validate: ") == true)
        #expect(failed.failureNotified == true && failed.outputs.contains { $0.name == alerts[0] })
    }

    @Test func aPipelineAfterAnotherGetsItsOutputsAndAnEventStartsItsListenersOnce() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        try h.pipeline("rapport", """
        triggers: { inbox: false, after: ventes }
        extract:
          - csv: {}
        load:
          - csv: { file: "rapport_{{input.stem}}.csv" }
        """)
        try h.pipeline("paye", """
        triggers: { inbox: false, event: order.paid }
        extract:
          - files: {}
        notify:
          - file: { name: "paid_{{run.params.order}}.txt", text: "ok" }
        """)
        try h.drop("ventes", "a.csv", "x\n1\n")
        let d = h.daemon()
        d.tick()
        d.tick() // the run started its follower: the next tick drives it
        var runs = try h.runs()
        let follower = try #require(runs.first { $0.pipeline == "rapport" })
        #expect(follower.status == .succeeded && follower.trigger == "after" && follower.inputs.map(\.name) == ["out_a.csv"])
        #expect(follower.triggeredBy == "after:" + runs[0].id && h.outbox("rapport", "rapport_out_a.csv") != nil)
        let event = PipelineEvent(name: "order.paid", id: "42", parameters: ["order": "42"])
        #expect(try d.runner.emit(event).count == 1)
        #expect(try d.runner.emit(event).isEmpty, "the same event id starts nothing twice")
        d.noteLedgerChanged()
        d.tick()
        runs = try h.runs()
        #expect(runs.filter { $0.pipeline == "paye" }.map(\.status) == [.succeeded] && h.outbox("paye", "paid_42.txt") == "ok")
    }

    @Test func aBrokenEditKeepsThePreviousVersionRunning() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        let d = h.daemon()
        try h.pipeline("ventes", Self.copy + "\n  - nope: {}\n")
        let broken = d.reload()
        #expect(broken.map(\.path) == ["pipelines/ventes.yaml"])
        #expect(broken[0].diagnostics.errors.first?.description.hasPrefix("pipelines/ventes.yaml:7:5: error: unknown step kind 'nope'") == true)
        try h.drop("ventes", "a.csv", "x\n1\n")
        d.noteChanges(inboxes: ["ventes"])
        d.tick()
        #expect(try h.runs().first?.status == .succeeded && h.outbox("ventes", "out_a.csv") != nil)
    }

    @Test func aPipelineNeedingAnUnsetSecretIsRefusedBeforeAnyClaim() throws {
        let h = try PipelineHarness()
        let variable = "SLUICE_TEST_UNSET_\(UUID().uuidString.prefix(8))"
        let d = h.daemon()
        try h.pipeline("ventes", Self.copy + "\nnotify:\n  - webhook: { url: \"http://127.0.0.1:9/x\", headers: { Authorization: \"Bearer ${env:\(variable)}\" } }\n")
        let broken = d.reload()
        #expect(d.pipelines["ventes"] == nil)
        #expect(broken.map(\.path) == ["pipelines/ventes.yaml"])
        #expect(broken.first?.diagnostics.errors.first?.description.hasPrefix("pipelines/ventes.yaml:8:71: error: environment variable '\(variable)' is not set (notify[0].webhook.headers.Authorization)") == true,
                "\(broken.first?.diagnostics.errors ?? [])")
        try h.drop("ventes", "a.csv", "x\n1\n")
        d.noteChanges(inboxes: ["ventes"])
        d.tick()
        #expect(try h.runs().isEmpty)
        #expect(FileManager.default.fileExists(atPath: h.workspace.inbox("ventes") + "/a.csv"), "the input stays in the inbox")
    }

    @Test func anInterruptedRunIsGivenUpAfterItsBudgetOfInterruptions() throws {
        let h = try PipelineHarness()
        try h.pipeline("p", """
        retry: { attempts: 2 }
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        load:
          - csv: { file: "o.csv" }
        """)
        try h.drop("p", "a.csv", "x\n1\n")
        let claimed = try #require(try h.runner.runBatch().runs.first)
        // Pretend the process died in the middle of the run, twice.
        var run = claimed
        run.status = .running
        run.phase = .stages
        run.completedStages = []
        try h.ledger.update(run)
        let first = try #require(try h.runner.prepareToResume(run, atStart: true))
        #expect(first.interruptions == 1 && first.failure == nil)
        let second = try #require(try h.runner.prepareToResume(first, atStart: true))
        #expect(second.interruptions == 2 && second.failure?.message.hasPrefix("the process stopped 2 times") == true)
    }
}

@Suite struct DispatcherTests {
    @Test func aBacklogInDefaultNeverTakesTheSlotsCriticalReserves() {
        var d = Dispatcher(settings: .standard)
        #expect(d.canStart(pipeline: "a", queue: "default", concurrency: 5))
        d.started(pipeline: "a", queue: "default")
        d.started(pipeline: "a", queue: "default")
        #expect(!d.canStart(pipeline: "a", queue: "default", concurrency: 5), "default has 2 workers")
        #expect(d.canStart(pipeline: "c", queue: "critical", concurrency: 1))
        d.started(pipeline: "c", queue: "critical")
        #expect(!d.canStart(pipeline: "c2", queue: "critical", concurrency: 1), "critical has 1 worker")
        d.finished(pipeline: "a", queue: "default")
        #expect(d.canStart(pipeline: "b", queue: "default", concurrency: 1))
    }

    @Test func theGlobalLimitAndReservationsHoldBackLowerQueues() throws {
        let dir = NSTemporaryDirectory() + "sluice-settings-\(UUID().uuidString)"
        try FileOperations.createDirectory(dir)
        try FileOperations.writeAtomically("""
        queues:
          critical: { priority: 10, workers: 2, reserved: 1 }
          default: { workers: 4 }
          reports: { priority: 5, workers: 1 }
        limit: 4
        inbox: { watch: poll, interval: 5s, rescan: 2m }
        """, to: dir + "/sluice.yaml")
        let (settings, problems) = DaemonSettings.load(path: dir + "/sluice.yaml")
        #expect(!problems.hasErrors)
        #expect(settings.limit == 4 && settings.watch == .poll && settings.pollInterval == 5 && settings.rescanInterval == 120)
        #expect(settings.queuesByPriority.map(\.name) == ["critical", "reports", "default"])
        var d = Dispatcher(settings: settings)
        for _ in 0 ..< 3 where d.canStart(pipeline: "x", queue: "default", concurrency: 9) { d.started(pipeline: "x", queue: "default") }
        #expect(d.runningByQueue["default"] == 3, "one of the four slots stays reserved for critical")
        #expect(!d.canStart(pipeline: "r", queue: "reports", concurrency: 1), "reports may not take critical's reserved slot either")
        #expect(d.canStart(pipeline: "c", queue: "critical", concurrency: 1))
        d.started(pipeline: "c", queue: "critical")
        #expect(!d.canStart(pipeline: "c2", queue: "critical", concurrency: 1), "the global limit is reached")
    }

    @Test func badSettingsAreReportedWithTheirPlace() throws {
        let dir = NSTemporaryDirectory() + "sluice-settings-\(UUID().uuidString)"
        try FileOperations.createDirectory(dir)
        try FileOperations.writeAtomically("queues:\n  fast: { workers: 0 }\ninbox: { watch: fanotify }\n", to: dir + "/sluice.yaml")
        let (_, problems) = DaemonSettings.load(path: dir + "/sluice.yaml")
        #expect(problems.errors.map(\.description).sorted() == [
            "sluice.yaml:2:20: error: 'workers' is a whole number from 1 to 1000",
            "sluice.yaml:3:17: error: 'watch' is inotify or poll",
        ])
    }

    @Test func retryDelaysGrowAndStayWithinTheirBounds() {
        let p = RetryPolicy(attempts: 10, backoff: .exponential, initial: .seconds(60), max: .seconds(3600), jitter: false)
        #expect((1 ... 8).map { p.delay(afterAttempt: $0, unit: 0) } == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        let linear = RetryPolicy(backoff: .linear, initial: .seconds(10), jitter: false)
        #expect((1 ... 3).map { linear.delay(afterAttempt: $0, unit: 0) } == [10, 20, 30])
        let jittered = RetryPolicy(initial: .seconds(100), jitter: true)
        #expect(jittered.delay(afterAttempt: 1, unit: 0) == 50 && jittered.delay(afterAttempt: 1, unit: 0.999) > 99)
        #expect(RetryPolicy(attempts: 0).problem != nil && RetryPolicy(initial: .seconds(10), max: .seconds(5)).problem != nil)
    }
}

import Foundation
import Testing
@testable import SluiceCore

/// Triggers read through the registry: every documented example validates, defaults are the
/// ones the manual states, and each mistake is reported where it is.
@Suite struct TriggerConfigurationTests {
    let loader = ManifestLoader(registry: StepRegistry([ProbeStep.registration]))

    func load(_ triggers: String) -> ManifestLoader.Loaded {
        loader.load(source: triggers + "\nextract:\n  - probe: {}\n", path: "pipelines/t.yaml")
    }

    func errors(_ triggers: String) -> [String] { load(triggers).diagnostics.sorted.filter { $0.severity == .error }.map(\.description) }

    @Test(arguments: TriggerKinds.registry.registrations.filter(\.writtenUnderTriggers).map(\.key))
    func documentedExampleValidates(key: String) throws {
        let r = try #require(TriggerKinds.registry[key])
        let loaded = load(r.documentation.example)
        #expect(loaded.diagnostics.errors.isEmpty, "\(key): \(loaded.diagnostics.sorted.map(\.description))")
        _ = try #require(loaded.manifest)
        #expect(r.documentation.example.contains("\n  \(key):"), "\(key)'s example does not use it")
        #expect(!r.documentation.summary.isEmpty)
    }

    @Test func keysAreUnique() {
        let keys = TriggerKinds.registry.keys
        #expect(Set(keys).count == keys.count)
        #expect(keys == ["inbox", "manual", "schedule", "misfire", "after", "event"])
    }

    @Test func aSourceIsNotWrittenUnderTriggers() {
        #expect(errors("triggers: { source: {} }").contains { $0.contains("unknown trigger 'source'") })
        #expect(TriggerKinds.registry[SourceTrigger.key]?.writtenUnderTriggers == false)
    }

    @Test func everyTriggerIsWatchedOrFiredThroughItsRegistration() throws {
        for r in TriggerKinds.registry.registrations {
            switch r.delivery {
            case .watched: #expect(r.watcher != nil, "\(r.key)")
            case .fired: #expect(r.watcher == nil, "\(r.key)")
            }
        }
        #expect(TriggerKinds.registry[ManualTrigger.key]?.firer != nil)
    }

    @Test func withoutTriggersAPipelineHasItsInboxAndManualRuns() throws {
        let m = try #require(loader.load(source: "extract:\n  - probe: {}\n", path: "pipelines/t.yaml").manifest)
        #expect(m.triggers.inbox == InboxTrigger.Configuration(settle: .seconds(2), patterns: []))
        #expect(m.triggers.manual && m.triggers.schedule == nil && m.triggers.after.isEmpty && m.triggers.events.isEmpty)
    }

    @Test func namingTriggersDropsTheDefaultInboxButKeepsManualRuns() throws {
        let m = try #require(load("triggers: { schedule: daily at 08:00 }").manifest)
        #expect(m.triggers.inbox == nil && m.triggers.manual)
        #expect(m.triggers.schedule == "daily at 08:00" && m.triggers.misfire == .once)
        #expect(m.triggers.keys == ["manual", "schedule"])
    }

    @Test func inboxTrueFalseAndItsFields() throws {
        #expect(try #require(load("triggers: { inbox: true }").manifest).triggers.inbox == InboxTrigger.Configuration())
        #expect(try #require(load("triggers: { inbox: off, manual: true }").manifest).triggers.inbox == nil)
        let m = try #require(load("triggers: { inbox: { settle: 0s, pattern: [\"*.csv\", \"*.txt\"] }, manual: no }").manifest)
        #expect(m.triggers.inbox == InboxTrigger.Configuration(settle: DurationValue(milliseconds: 0), patterns: ["*.csv", "*.txt"]))
        #expect(!m.triggers.manual)
    }

    @Test func misfireIsPartOfTheSchedule() throws {
        let m = try #require(load("triggers: { schedule: every hour, misfire: { policy: all, cap: 3 } }").manifest)
        #expect(m.triggers[ScheduleTrigger.self]?.misfire == .all(cap: 3))
        #expect(m.triggers.misfire == .all(cap: 3))
    }

    @Test func unknownTriggerIsLocatedWithASuggestion() {
        #expect(errors("triggers:\n  inbx: true") == [
            "pipelines/t.yaml:2:3: error: unknown trigger 'inbx'; did you mean 'inbox'?; known triggers: inbox, manual, schedule, misfire, after, event",
        ])
    }

    @Test func badConfigurationsAreLocated() {
        #expect(errors("triggers:\n  schedule: every blue moon").first?.hasPrefix("pipelines/t.yaml:2:13: error:") == true)
        #expect(errors("triggers:\n  schedule: [a, b]") == ["pipelines/t.yaml:2:13: error: 'schedule' is one text, e.g. 'daily at 08:00' or 'cron \"0 9 * * 1-5\"'"])
        #expect(errors("triggers:\n  inbox: { settle: soon }").first?.hasPrefix("pipelines/t.yaml:2:20: error:") == true)
        #expect(errors("triggers:\n  inbox: { setle: 2s }").first?.contains("'setle'") == true)
        #expect(errors("triggers:\n  misfire: skip") == ["pipelines/t.yaml:2:12: error: 'misfire' applies to a schedule, and this pipeline has none"])
        #expect(errors("triggers:\n  schedule: hourly\n  misfire: sometimes").first?.hasPrefix("pipelines/t.yaml:3:12: error: 'misfire' is skip, once") == true)
        #expect(errors("triggers:\n  after: [ventes, \"a b\"]") == ["pipelines/t.yaml:2:19: error: 'after' names pipelines: one name or a list of names"])
        #expect(errors("triggers:\n  event: []") == ["pipelines/t.yaml:2:10: error: 'event' names events such as order.paid: one name or a list of names"])
        #expect(errors("triggers:\n  manual: { on: yes }") == ["pipelines/t.yaml:2:11: error: 'manual' is true or false"])
        #expect(errors("triggers: inbox") == ["pipelines/t.yaml:1:11: error: 'triggers' must be a mapping, e.g. 'triggers: { inbox: { settle: 2s } }'"])
    }

    @Test func aPlanLooksAtAnInboxWithoutSettling() throws {
        let m = try #require(load("triggers: { inbox: { settle: 30s } }").manifest)
        let ws = Workspace(root: "/nowhere")
        let clock = SystemClock()
        #expect(InboxScanner(inboxOf: m, in: ws, clock: clock, settling: .ignore)?.settings.settle == DurationValue(milliseconds: 0))
        #expect(InboxScanner(inboxOf: m, in: ws, clock: clock, settling: .leaveForLater)?.maximumWait == 0)
        #expect(InboxScanner(inboxOf: m, in: ws, clock: clock, settling: .waitAtMost(9))?.maximumWait == 9)
        #expect(InboxScanner(inboxOf: m, in: ws, clock: clock, settling: .waitAtMost(9))?.settings.settle == .seconds(30))
        let scheduled = try #require(load("triggers: { schedule: hourly }").manifest)
        #expect(InboxScanner(inboxOf: scheduled, in: ws, clock: clock, settling: .ignore) == nil)
    }
}

import Foundation
import Testing
@testable import SluiceCore

/// A watched trigger the daemon has never heard of, registered in a test registry only: the
/// state asks it what is due through `WatchedTrigger` and does its work, as for the built-in
/// inbox, schedule and source.
@Suite struct DaemonStateWatchedTriggerTests {
    /// Every `every` seconds, one run; paused, nothing.
    struct MetronomeTrigger: WatchedTrigger {
        struct Configuration: Decodable, Sendable, Equatable { var every: Int }
        struct Watch: Sendable { var next: Date }

        static let key = "metronome"
        static let documentation = TriggerDocumentation(summary: "A test trigger.", fields: [], example: "triggers:\n  metronome: { every: 30 }")

        static func watch(_ c: Configuration, of manifest: Manifest, lastRun: Date?, look: TriggerLook) -> Watch {
            Watch(next: look.now + TimeInterval(c.every))
        }

        static func due(_ c: Configuration, watch: inout Watch, of manifest: Manifest, look: TriggerLook) -> [TriggerWork] {
            guard watch.next <= look.now else { return [] }
            let slot = watch.next
            watch.next = slot + TimeInterval(c.every)
            return look.paused ? [] : [.startRuns(slots: [slot])]
        }

        static func nextLook(_ watch: Watch) -> Date? { watch.next }
    }

    static let registry = TriggerRegistry(TriggerKinds.registry.registrations + [TriggerRegistration(MetronomeTrigger.self)])
    let start = DaemonStateFixture.start

    func state() throws -> DaemonState {
        let loader = ManifestLoader(registry: StepRegistry([ProbeStep.registration]), triggers: Self.registry)
        let m = try #require(loader.load(source: "triggers: { metronome: { every: 30 } }\nextract:\n  - probe: {}\n", path: "pipelines/beat.yaml").manifest)
        var s = DaemonState(settings: .standard, startedAt: start, workspaceRoot: "/ws")
        #expect(s.handle(.manifestsLoaded(["beat": m], changed: ["beat"], at: start)).isEmpty, "nothing to read first")
        return s
    }

    @Test func itsSlotsStartRunsAndItsNextLookWakesTheDaemon() throws {
        var s = try state()
        #expect(s.nextLooks(of: "metronome") == ["beat": start + 30])
        #expect(!s.handle(.tick(start)).contains { $0.label.hasPrefix("startScheduled") })
        #expect(s.handle(.tick(start + 30)).map(\.label).filter { $0.hasPrefix("start") } == ["startScheduled:beat×1/metronome"])
        #expect(s.nextLooks(of: "metronome") == ["beat": start + 60])
        #expect(try #require(s.nextWake()) <= start + 60)
    }

    @Test func pausedItIsAskedAndSaysWhatItSkips() throws {
        var s = try state()
        s.setPaused("beat", true, at: start)
        #expect(!s.handle(.tick(start + 30)).contains { $0.label.hasPrefix("startScheduled") })
        s.setPaused("beat", false, at: start + 31)
        #expect(s.handle(.tick(start + 60)).map(\.label).filter { $0.hasPrefix("start") } == ["startScheduled:beat×1/metronome"])
    }
}

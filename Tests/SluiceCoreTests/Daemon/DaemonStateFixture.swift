import Foundation
@testable import SluiceCore

/// Manifests, runs and files for the pure `DaemonState` tests: no folder, no ledger, no clock
/// but the instants the tests give.
struct DaemonStateFixture {
    /// Saturday 2026-11-21 08:00:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_795_248_000)
    let loader = ManifestLoader(registry: StepRegistry([ProbeStep.registration]))
    var settings = DaemonSettings.standard

    func manifest(_ name: String, _ top: String = "triggers: { inbox: { settle: 0s } }") -> Manifest {
        let loaded = loader.load(source: top + "\nextract:\n  - probe: {}\n", path: "pipelines/\(name).yaml")
        precondition(loaded.manifest != nil, "\(loaded.diagnostics.sorted.map(\.description))")
        return loaded.manifest!
    }

    /// A state with these manifests loaded (and their schedules read: never fired).
    func state(_ manifests: Manifest..., at now: Date = start) -> DaemonState {
        var s = DaemonState(settings: settings, startedAt: now, workspaceRoot: "/ws")
        let all = Dictionary(uniqueKeysWithValues: manifests.map { ($0.name, $0) })
        for action in s.handle(.manifestsLoaded(all, changed: Set(all.keys), at: now)) {
            if case let .readLastSlot(name, trigger) = action { _ = s.handle(.lastSlotRead(pipeline: name, trigger: trigger, last: nil)) }
        }
        return s
    }

    static func file(_ pipeline: String, _ name: String) -> InboxScanner.Candidate {
        InboxScanner.Candidate(path: "/ws/inbox/\(pipeline)/\(name)", name: name, size: 1, refusal: nil, hardLinked: false)
    }

    static func run(_ id: String, _ pipeline: String, status: RunStatus = .running, wakeAt: Date? = nil) -> RunRecord {
        var r = RunRecord(id: id, pipeline: pipeline, trigger: "inbox", now: start, runDate: "2026-11-21", runTime: "2026-11-21T08:00",
                          manifestHash: "h", inputs: [])
        r.status = status
        r.phase = .stages
        r.wakeAt = wakeAt
        return r
    }
}

extension DaemonAction {
    /// A short name for expectations: `scan:ventes`, `wake:r1`, `start:tick@08:00`.
    var label: String {
        switch self {
        case let .readLastSlot(p, trigger): trigger == ScheduleTrigger.key ? "readLastSlot:\(p)" : "readLastSlot:\(p)/\(trigger)"
        case let .startScheduled(m, slots, trigger): trigger == ScheduleTrigger.key ? "startScheduled:\(m.name)×\(slots.count)" : "startScheduled:\(m.name)×\(slots.count)/\(trigger)"
        case let .readLedger(atStart): "readLedger:\(atStart ? "atStart" : "again")"
        case let .resume(r, _): "resume:\(r.id)"
        case let .wake(id): "wake:\(id)"
        case let .scan(m): "scan:\(m.name)"
        case .prune: "prune"
        case .notice: "notice"
        }
    }
}

extension DaemonTicket {
    var label: String {
        switch job {
        case let .claim(f, m): "claim:\(m.name)/\(f.name)"
        case let .drive(r): "drive:\(r.id)"
        case let .collect(m): "collect:\(m.name)"
        }
    }
}

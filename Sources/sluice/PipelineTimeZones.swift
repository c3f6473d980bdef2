import Foundation
import SluiceCore
import SluiceSteps

/// The time zone of each pipeline of a workspace (its manifest's `timezone:`, else the
/// machine's), to show planned times as the pipeline's people read them.
struct PipelineTimeZones: Sendable {
    let zones: [String: TimeZone]

    init(workspace: Workspace) {
        let loaded = ManifestLoader(registry: StepKinds.registry).loadAll(directory: workspace.pipelines, relativeTo: workspace.root)
        var zones: [String: TimeZone] = [:]
        for l in loaded { if let m = l.manifest { zones[l.name] = m.timeZone } }
        self.zones = zones
    }

    func zone(of pipeline: String) -> TimeZone { zones[pipeline] ?? .current }

    /// A waiting run's wake time, `2026-11-21 08:00 (Europe/Zurich)` (`?` when it has none).
    func describe(_ run: RunRecord) -> String {
        run.wakeAt.map { zone(of: run.pipeline).wallClockText($0) } ?? "?"
    }
}

extension RunSummary {
    /// The run described with wake times in its pipeline's time zone.
    init(_ r: RunRecord, zones: PipelineTimeZones) { self.init(r, timeZone: zones.zone(of: r.pipeline)) }
}

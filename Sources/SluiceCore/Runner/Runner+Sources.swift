import Foundation

/// Source steps (`imap`): the runner asks them for new items and turns each into a run.
extension Runner {
    /// The manifest's source steps, with their ids.
    public static func sources(of manifest: Manifest) -> [(id: String, source: any InputSource)] {
        manifest.stages.flatMap(\.steps).compactMap { step in (step.step as? any InputSource).map { (step.id, $0) } }
    }

    /// Looks at each source of `manifest` once: every new item becomes a run, durable before
    /// the source acknowledges the item. The runs are created, not driven.
    public func collect(_ manifest: Manifest) throws -> CollectReport {
        var total = CollectReport()
        for (id, source) in Self.sources(of: manifest) {
            let context = sourceContext(manifest, stepID: id)
            try FileOperations.makeDirectory(context.stagingDirectory)
            defer { try? FileManager.default.removeItem(atPath: context.stagingDirectory) }
            let report = try source.collect(context) { items in
                var outcomes: [ClaimOutcome] = []
                for item in items {
                    if let first = item.keys.first, let earlier = try ledger.effect(key: first.key) {
                        // The same item again (a redelivered message, a mailbox renumbered): keep its
                        // other keys so it is not fetched again, and create nothing.
                        for key in item.keys.dropFirst() { var k = key; k.run = earlier.run; try ledger.record(k) }
                        outcomes.append(.repeated(of: earlier.run))
                        continue
                    }
                    let run = try createRun(manifest, trigger: item.trigger, effects: item.keys, time: clock.now(), files: item.files, taking: true) {
                        $0.parameters = item.parameters
                        $0.triggeredBy = item.origin
                        for n in $0.inputs.indices { $0.inputs[n].originalName = item.originalNames[$0.inputs[n].name] }
                    }
                    if let run, let event = item.event, !routes.listeners(of: event).isEmpty {
                        try emit(PipelineEvent(name: event, id: item.keys.first?.key ?? run.id, parameters: item.parameters,
                                               files: run.inputs.map { inputPath(run, $0.name) }, fileNames: run.inputs.map(\.name)))
                    }
                    outcomes.append(run.map { .created($0) } ?? .repeated(of: ""))
                }
                // The source acknowledges the items as soon as this returns: the claims must be on disk.
                if group.isOpen { try makeDurable() }
                crashPoints.reached("after-source-claim")
                return outcomes
            }
            total.created += report.created
            total.deferred += report.deferred
        }
        if total.deferred > 0 {
            observer.notice("\(manifest.name): \(total.deferred) more item(s) wait for the next look")
        }
        return total
    }

    /// Tells the source that created `run` how it ended. Best effort: the item was acknowledged
    /// when it was claimed, so a failure here loses nothing; it is reported.
    func reportToSource(_ run: RunRecord) {
        guard let origin = run.triggeredBy, run.trigger != "reprocess",
              let manifest = try? manifestVersion(hash: run.manifestHash, pipeline: run.pipeline) else { return }
        for (id, source) in Self.sources(of: manifest) where origin.hasPrefix(run.trigger + ":") {
            do { try source.runEnded(run, context: sourceContext(manifest, stepID: id)) } catch {
                observer.notice("\(run.id): could not report the run's end back to its source (\(origin)): \(error)")
            }
        }
    }

    func sourceContext(_ manifest: Manifest, stepID: String) -> SourceContext {
        let ledger = self.ledger
        let observer = self.observer
        return SourceContext(
            pipeline: manifest.name, stepID: stepID, workspace: workspace, connections: connections().0,
            stagingDirectory: workspace.work(".incoming-" + manifest.name), logger: logger, now: clock.now(),
            recorded: { try ledger.effect(key: $0) }, record: { try ledger.record($0) }, notice: { observer.notice($0) })
    }
}

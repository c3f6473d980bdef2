import Foundation

/// The batch loop of `sluice run`.
extension Runner {
    /// One batch pass: finish interrupted runs, then claim and run every ready inbox file
    /// of the named pipelines (all when empty). Every run is finished before returning.
    public func runBatch(pipelines: [String] = []) throws -> BatchReport {
        var report = BatchReport()
        let (manifests, broken) = loadManifests()
        report.brokenManifests = broken.filter { pipelines.isEmpty || pipelines.contains($0.name) }
        for name in pipelines where manifests[name] == nil && !broken.contains(where: { $0.name == name }) {
            throw StepError(.configuration, "no pipeline named '\(name)'\(Suggestion.didYouMean(name, among: manifests.keys))",
                            hint: "pipelines are the files in pipelines/")
        }
        try removeFinishedWork()
        if groupSize > 1 { try openGroup() }
        do {
            let unfinished = try ledger.unfinishedRuns().filter { pipelines.isEmpty || pipelines.contains($0.pipeline) }
            for (n, found) in unfinished.enumerated() {
                guard let run = try prepareToResume(found, atStart: true) else {
                    report.runs.append(found)
                    continue
                }
                if found.status != .waiting { observer.notice("resuming \(run.id) (\(run.pipeline)) after an interruption") }
                report.runs.append(try drive(run))
                if (n + 1) % max(1, groupSize) == 0 { try makeDurable() }
            }
            for name in manifests.keys.sorted() where pipelines.isEmpty || pipelines.contains(name) {
                let manifest = manifests[name]!
                if !Self.sources(of: manifest).isEmpty {
                    var created: [RunRecord] = []
                    do { created = try collect(manifest).created } catch {
                        report.sourceProblems.append("\(name): \(error)")
                        observer.notice("\(name): \(error); what was not claimed waits for the next run")
                    }
                    for run in created { report.runs.append(try drive(run)) }
                    if group.isOpen { try makeDurable() }
                }
                guard let scanner = InboxScanner(inboxOf: manifest, in: workspace, clock: fileClock, settling: .waitAtMost(maximumSettleWait)) else { continue }
                let scan = scanner.readyFiles()
                report.skipped += scan.skipped.map { (workspace.relative($0.path), $0.reason) }
                var next = scan.ready[...]
                while !next.isEmpty {
                    // A group's claims are durable before any of its inputs moves.
                    let chunk = next.prefix(max(1, groupSize))
                    next = next.dropFirst(chunk.count)
                    var claimed: [RunRecord] = []
                    for file in chunk {
                        if let run = try claim(file, manifest: manifest) { claimed.append(run) }
                    }
                    if group.isOpen { try makeDurable() }
                    for run in claimed {
                        crashPoints.reached("after-claim-record")
                        report.runs.append(try drive(run))
                    }
                    if group.isOpen { try makeDurable() }
                }
            }
            // Runs the batch's runs started (followers, `after:`) go too.
            var seen = Set(report.runs.map(\.id))
            while true {
                let started = try ledger.unfinishedRuns().filter { !seen.contains($0.id) && $0.status != .waiting }
                    .filter { pipelines.isEmpty || pipelines.contains($0.pipeline) }
                if started.isEmpty { break }
                for run in started {
                    seen.insert(run.id)
                    report.runs.append(try drive(run))
                }
            }
        } catch {
            // What the group holds is consistent (each write whole); keep it.
            try? closeGroup()
            throw error
        }
        try closeGroup()
        // Work folders go at the end of the batch: removing them between runs makes the file
        // system slower at creating the next run's files.
        try removeFinishedWork()
        return report
    }
}

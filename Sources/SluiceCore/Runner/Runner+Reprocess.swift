import Foundation

extension Runner {
    public enum ManifestChoice: String, Sendable {
        /// The manifest as it is now in `pipelines/`.
        case current
        /// The version the original run used, from the ledger.
        case original
    }

    /// A new run over an archived run's inputs, linked to it. Effects the original (or an
    /// earlier reprocessing of it) already did are not redone unless `resend` is set.
    public func reprocess(_ runID: String, manifest choice: ManifestChoice = .current, resend: Bool = false) throws -> RunRecord {
        guard let original = try ledger.run(id: runID) else {
            throw StepError(.configuration, "no run '\(runID)'", hint: "`sluice runs` lists them")
        }
        guard original.phase == .done, let archived = original.archivePath else {
            throw StepError(.configuration, "run \(runID) is not finished; `sluice run` finishes it first")
        }
        let manifest: Manifest
        switch choice {
        case .current:
            let (manifests, broken) = loadManifests()
            if let b = broken.first(where: { $0.name == original.pipeline }) {
                throw StepError(.configuration, "the manifest \(b.path) has errors (\(b.firstErrors)); fix them or use --manifest-version original")
            }
            guard let m = manifests[original.pipeline] else {
                throw StepError(.configuration, "pipeline '\(original.pipeline)' no longer exists in pipelines/; use --manifest-version original")
            }
            manifest = m
            try ledger.storeManifest(hash: m.contentHash, source: m.source)
        case .original:
            guard let m = try manifestVersion(hash: original.manifestHash, pipeline: original.pipeline) else {
                throw StepError(.internal, "the original manifest of \(runID) is not in the ledger")
            }
            manifest = m
        }
        let now = clock.now()
        let local = localTime(now, of: manifest)
        let inputs = original.inputs.map {
            RunInput(name: $0.name, sha256: $0.sha256, size: $0.size, origin: archived + "/" + $0.name)
        }
        for input in inputs where !FileOperations.exists(workspace.root + "/" + input.origin) {
            throw StepError(.badInput, "the archived input \(input.origin) is missing", hint: "the archive folder of run \(runID) was changed by hand")
        }
        var run = RunRecord(id: newRunID(), pipeline: original.pipeline, trigger: "reprocess", now: now,
                            runDate: local.date.description, runTime: local.description,
                            manifestHash: manifest.contentHash, inputs: inputs)
        run.reprocessOf = original.id
        run.effectScope = resend ? run.id : original.effectScope
        run.parameters = original.parameters
        try ledger.insert(run)
        return try drive(try moveClaimedInputs(run))
    }

    /// Runs of a pipeline to reprocess: `--pipeline P --since DATE [--status failed|all]`.
    ///
    /// With `status: .failed`, a failed run that was reprocessed already is left out: its
    /// reprocessing stands for it (when that succeeded, or is still under way, there is nothing
    /// to do; when it failed too, it is the one taken, so each input is run once again, not once
    /// per earlier attempt).
    public func runsToReprocess(pipeline: String, since: Date, status: RunStatus?) throws -> [RunRecord] {
        let candidates = try ledger.runs(RunFilter(pipeline: pipeline, status: status, since: since))
            .filter { $0.phase == .done && $0.status != .duplicate && $0.archivePath != nil }
        guard status == .failed else { return candidates }
        let reprocessed = Set(try ledger.runs(RunFilter(pipeline: pipeline)).compactMap(\.reprocessOf))
        return candidates.filter { !reprocessed.contains($0.id) }
    }

    /// A manual run: the pipeline's steps with no input files (for pipelines whose extract
    /// steps fetch their own data), with parameters for templates (`{{run.params.NAME}}`).
    public func runManually(pipeline: String, parameters: [String: String], files: [String]) throws -> RunRecord {
        let (manifests, broken) = loadManifests()
        if let b = broken.first(where: { $0.name == pipeline }) {
            throw StepError(.configuration, "the manifest \(b.path) has errors (\(b.firstErrors)); see `sluice validate`")
        }
        guard let manifest = manifests[pipeline] else {
            throw StepError(.configuration, "no pipeline named '\(pipeline)'\(Suggestion.didYouMean(pipeline, among: manifests.keys))")
        }
        guard manifest.triggers.manual else {
            throw StepError(.configuration, "pipeline '\(pipeline)' does not allow manual runs (triggers.manual is false)")
        }
        try ledger.storeManifest(hash: manifest.contentHash, source: manifest.source)
        let now = clock.now()
        let local = localTime(now, of: manifest)
        var inputs: [RunInput] = []
        for path in files {
            let (sha, size) = try FileOperations.sha256(path: path)
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            inputs.append(RunInput(name: (path as NSString).lastPathComponent, sha256: sha, size: size, origin: workspace.relative(absolute)))
        }
        var run = RunRecord(id: newRunID(), pipeline: pipeline, trigger: "manual", now: now,
                            runDate: local.date.description, runTime: local.description,
                            manifestHash: manifest.contentHash, inputs: inputs)
        run.parameters = parameters
        // Files named on the command line are copied, never moved: they are the person's own.
        run.trigger = "manual"
        try ledger.insert(run)
        var claimed = run
        try FileOperations.makeDirectory(workspace.work(run.id))
        for (i, input) in inputs.enumerated() {
            // A real copy: the archive must not share bytes with a file the person may edit.
            try FileOperations.copyDurably(files[i], to: inputPath(run, input.name), deferral: syncs)
        }
        claimed.phase = .stages
        claimed.status = .running
        try save(&claimed)
        return try drive(claimed)
    }
}

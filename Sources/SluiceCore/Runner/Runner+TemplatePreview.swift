import Foundation

extension Runner {
    /// The values a run's notify steps render their templates with, for
    /// `sluice template preview NAME --run RUN`: the same `TemplateValues` the runner builds.
    ///
    /// A run that still has checkpoints (waiting, interrupted) gives the datasets of its last
    /// committed stage. A finished run's checkpoints are dropped when it completes, so its
    /// extract, transform and load steps run again as in `sluice plan`, over its archived
    /// inputs, with the manifest version it ran with and its own date, parameters and error:
    /// nothing is written, published or sent. The datasets come out as they did unless a step
    /// reads something that changed since (a `delta` compares with the state saved since).
    public func notifyTemplateValues(run id: String) throws -> TemplateValue {
        guard let run = try ledger.run(id: id) else {
            throw StepError(.configuration, "no run '\(id)'", hint: "`sluice runs` lists them")
        }
        guard let manifest = try manifestVersion(hash: run.manifestHash, pipeline: run.pipeline) ?? loadManifests().manifests[run.pipeline] else {
            throw StepError(.configuration, "the manifest run \(run.id) used is not in the ledger, and pipelines/\(run.pipeline).yaml does not load")
        }
        let info = runInfo(run, manifest: manifest)
        let env: StageEnvironment
        if run.phase != .done && !run.completedStages.isEmpty {
            env = try loadEnvironment(run, stages: manifest.stages)
        } else {
            env = try replayBeforeNotify(run, manifest: manifest, info: info)
        }
        return TemplateValues.make(run: info, inputs: run.inputs, env: env, current: env.current)
    }

    /// Runs the stages before notify again without effects, over the run's inputs where they
    /// are kept (the archive, or the work folder of an unfinished run). Stops at a step that
    /// fails, as the run did.
    func replayBeforeNotify(_ run: RunRecord, manifest: Manifest, info: RunInfo) throws -> StageEnvironment {
        let scratch = NSTemporaryDirectory() + "sluice-preview-\(getpid())-\(clock.randomSuffix())"
        try FileOperations.createDirectory(scratch)
        defer { FileOperations.removeTree(scratch) }
        let files = run.inputs.map { input in
            AttachedFile(name: input.name, path: run.archivePath.map { workspace.root + "/" + $0 + "/" + input.name } ?? inputPath(run, input.name))
        }
        let effects = PlanningEffects(base: EffectLedger(ledger: ledger, run: run.id, scope: run.effectScope, clock: clock, dryRun: true),
                                      planned: PlannedEffects())
        let setting = StepSetting(info: info, inputs: run.inputs, inputFiles: files, outputDirectory: scratch, effects: effects,
                                  states: StagedStateStore(ledger: ledger, pipeline: run.pipeline), connections: connections().0,
                                  dryRun: true, timeZone: manifest.timeZone)
        var env = StageEnvironment()
        for stage in manifest.stages where stage.name != .notify {
            for step in stage.steps {
                let output: StepOutput?
                do { output = try executeStep(step, stage: stage.name, env: env, setting: setting) } catch { return env }
                guard let output else { continue }
                env.absorb(output, as: step.output)
                env.outputs += output.outputs.map { (name: $0.name, path: $0.path, step: step.id) }
            }
        }
        return env
    }
}

import Foundation
import Logging

extension Runner {
    func checkpointBytes(_ run: RunRecord, index: Int) throws -> [UInt8] {
        guard let bytes = try ledger.checkpoint(run: run.id, index: index) else {
            throw StepError(.internal, "the checkpoint of stage \(index + 1) of run \(run.id) is missing from the ledger")
        }
        return bytes
    }

    /// Steps write their outputs into the run's work folder, next to the (hidden) inputs.
    func outputsDirectory(_ run: RunRecord) -> String { workspace.work(run.id) }

    /// Reads the environment left by the last committed checkpoint (and the outputs of all
    /// before it); with `datasets: false`, only the outputs.
    func loadEnvironment(_ run: RunRecord, stages: [Stage], datasets wanted: Bool = true) throws -> StageEnvironment {
        var env = StageEnvironment()
        let work = workspace.work(run.id)
        for (i, name) in run.completedStages.enumerated() {
            guard StageName(rawValue: name) != nil else { continue }
            let last = i == run.completedStages.count - 1 && wanted
            let (index, datasets, _) = try CheckpointFile.decode(try checkpointBytes(run, index: i), datasets: last)
            env.outputs += index.outputs.map { ($0.name, work + "/" + $0.file, $0.step) }
            if last {
                for (n, name) in index.datasets.enumerated() { env.set(name, datasets[n]) }
                env.current = index.current
            }
        }
        return env
    }

    /// The states staged by the run's committed stages, by name.
    func stagedStates(_ run: RunRecord) throws -> [String: Data] {
        var states: [String: Data] = [:]
        for (i, name) in run.completedStages.enumerated() {
            guard StageName(rawValue: name) != nil else { continue }
            let (_, _, s) = try CheckpointFile.decode(try checkpointBytes(run, index: i), datasets: false)
            for (k, v) in s { states[k] = Data(v) }
        }
        return states
    }

    /// Runs one stage's steps and commits its checkpoint: the files its steps wrote are
    /// fsynced, then the checkpoint and the stage's completion are one ledger transaction.
    /// `carried` holds the environment the previous stage ended with, when it ran in this
    /// process; after a resume it is read back from the checkpoint.
    func runStage(_ index: Int, of stages: [Stage], manifest: Manifest, run start: RunRecord,
                  carried: inout StageEnvironment?) throws -> RunRecord {
        var run = start
        let stage = stages[index]
        let work = workspace.work(run.id)
        let outputs = outputsDirectory(run)
        try FileOperations.makeDirectory(outputs)
        observer.stageStarted(run, stage: stage.name)
        let started = clock.now()
        var env = try carried ?? loadEnvironment(run, stages: stages)
        carried = nil
        let (connections, _) = connections()
        let effects = EffectLedger(ledger: ledger, run: run.id, scope: run.effectScope, clock: clock, dryRun: false,
                                   makeDurable: { [self] in try makeDurable() }, crashPoints: crashPoints)
        let states = StagedStateStore(ledger: ledger, pipeline: run.pipeline)
        var reports: [StageReport.StepReport] = []
        var stageOutputs: [CheckpointIndex.Output] = []
        let setting = StepSetting(info: runInfo(run, manifest: manifest), inputs: run.inputs, inputFiles: inputFiles(run), outputDirectory: outputs,
                                  effects: effects, states: states, connections: connections, dryRun: false, timeZone: manifest.timeZone)
        for step in stage.steps {
            let stepStart = clock.now()
            let output: StepOutput?
            do {
                output = try executeStep(step, stage: stage.name, env: env, setting: setting)
            } catch let parked as RunParked {
                // The stage runs again from its checkpoint at the wake time; the wait step then
                // finds its wake time recorded and passed.
                for e in effects.takePending() { try ledger.record(e) }
                return try park(run, until: parked.until, reason: "wait", RunLifecycle(manifest))
            } catch {
                for e in effects.takePending() { try ledger.record(e) }
                return try failOrRetry(run, manifest: manifest, step: step, stage: stage.name, error as? StepError ?? StepError(.internal, "\(error)"))
            }
            guard let output else {
                reports.append(.init(id: step.id, skipped: true, rows: nil, milliseconds: 0, summary: [:]))
                continue
            }
            crashPoints.reached("inside-stage")
            env.absorb(output, as: step.output)
            for o in output.outputs {
                let relative = o.path.hasPrefix(work + "/") ? String(o.path.dropFirst(work.count + 1)) : o.path
                stageOutputs.append(.init(name: o.name, file: relative, step: step.id))
            }
            let ms = Int(clock.now().timeIntervalSince(stepStart) * 1000)
            reports.append(.init(id: step.id, skipped: false, rows: output.dataset?.rows.count, milliseconds: ms,
                                 summary: output.summary.mapValues(\.description)))
            observer.stepFinished(run, step: step.id, rows: output.dataset?.rows.count)
        }
        // Outputs must be durable before the checkpoint that names them.
        for o in stageOutputs { try FileOperations.fsync(path: work + "/" + o.file, deferral: syncs) }
        let staged = states.staged()
        // The last stage's datasets are never read again: its checkpoint keeps outputs and states
        // only. Before that, a dataset nothing names later is left out too.
        let kept = index == stages.count - 1 ? [] : env.order.filter { $0 == env.current || resources.datasetUse.isNamedLater($0, in: manifest, workspace: workspace) }
        let contents = CheckpointIndex(datasets: kept, current: env.current, outputs: stageOutputs)
        let bytes = try CheckpointFile.encode(index: contents, datasets: kept.map { env.datasets[$0]! }, states: staged)
        crashPoints.reached("before-checkpoint-commit")
        run.completedStages.append(stage.name.rawValue)
        run.phase = .stages
        if !staged.isEmpty { run.hasStagedStates = true }
        run.stageReports.append(StageReport(stage: stage.name.rawValue, milliseconds: Int(clock.now().timeIntervalSince(started) * 1000),
                                            steps: reports, datasets: env.datasets.mapValues(\.rows.count)))
        run.updatedAt = clock.now()
        advance(&run, .stageCommitted(index), RunLifecycle(manifest))
        try ledger.commitStage(run, index: index, checkpoint: bytes, effects: effects.takePending())
        env.outputs += stageOutputs.map { (name: $0.name, path: work + "/" + $0.file, step: $0.step) }
        carried = env
        crashPoints.reached("after-checkpoint")
        return run
    }

    /// Runs one step against `env`: nil when its `when:` is false. Throws `StepError` for a
    /// condition that cannot be evaluated and for whatever the step throws.
    func executeStep(_ step: StepInstance, stage: StageName, env: StageEnvironment, setting: StepSetting) throws -> StepOutput? {
        if let condition = step.condition {
            do {
                let holds = try condition.expression.bind(columns: [], variables: TemplateValues.whenVariables(run: setting.info, env: env)).isTrue([])
                if !holds { return nil }
            } catch {
                throw StepError(.configuration, "cannot evaluate 'when: \(condition.expression.source)': \(error.message)")
            }
        }
        var log = logger
        log[metadataKey: "sluice.run"] = .string(setting.info.id)
        log[metadataKey: "sluice.pipeline"] = .string(setting.info.pipeline)
        log[metadataKey: "sluice.step"] = .string(step.id)
        let inputName = step.input ?? env.current
        let (info, inputs) = (setting.info, setting.inputs)
        var context = StepContext(
            run: info, stepID: step.id, outputName: step.output, stage: stage,
            input: inputName.flatMap { env.datasets[$0] } ?? Dataset(files: setting.inputFiles),
            inputName: inputName, datasets: env.datasets, inputFiles: setting.inputFiles, workspace: workspace,
            outputDirectory: setting.outputDirectory, effects: setting.effects, state: setting.states, connections: setting.connections,
            templateValues: { TemplateValues.make(run: info, inputs: inputs, env: env, current: inputName, mentioning: $0) },
            dryRun: setting.dryRun, logger: log, resources: resources)
        context.now = clock.now()
        context.timeZone = setting.timeZone
        let outbox = workspace.outbox(info.pipeline)
        context.outputs = env.outputs.map {
            AttachedFile(name: $0.name, path: FileOperations.exists($0.path) ? $0.path : outbox + "/" + $0.name)
        }
        return try step.step.run(context)
    }

    func runInfo(_ run: RunRecord, manifest: Manifest? = nil) -> RunInfo {
        let time = LocalDateTime(iso: run.runTime) ?? LocalDateTime(date: LocalDate(iso: run.runDate) ?? LocalDate(daysSinceEpoch: 0))
        var info = RunInfo(id: run.id, pipeline: run.pipeline, date: time.date, time: time, trigger: run.trigger,
                           parameters: run.parameters, effectScope: run.effectScope)
        info.attempt = run.attempt ?? 1
        info.failure = run.failure
        info.locale = manifest?.locale
        return info
    }

    /// Records a step's failure; the state machine then publishes rejects and archives.
    func fail(_ start: RunRecord, stage: StageName, step: String, _ error: StepError, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        run.failure = RunFailure(stage: stage.rawValue, step: step, error)
        // Files the failing step wrote (a rejects file) are kept for publishing.
        for o in error.outputs where FileOperations.exists(o.path) {
            try FileOperations.fsync(path: o.path, deferral: syncs)
            run.outputs.append(PublishedOutput(name: o.name, path: o.path, size: 0, sha256: "", step: step))
        }
        advance(&run, .stepFailed(run.failure!, retry: .giveUp), lifecycle)
        logger.error("run failed", metadata: ["sluice.run": .string(run.id), "sluice.step": .string(step), "error": .string(error.description)])
        try save(&run)
        return run
    }
}

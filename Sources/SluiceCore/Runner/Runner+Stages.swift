import Foundation
import Logging

/// What a stage's checkpoint folder holds: `index.json` plus one `.ds` file per dataset,
/// `outputs/` and `state/`.
struct CheckpointIndex: Codable {
    struct Output: Codable {
        var name: String
        /// Relative to the checkpoint folder.
        var file: String
        var step: String
    }
    var datasets: [String]
    var current: String?
    var outputs: [Output]
    var states: [String]
}

/// Datasets and outputs carried from one stage to the next.
struct StageEnvironment {
    var datasets: [String: Dataset] = [:]
    var order: [String] = []
    var current: String?
    var outputs: [(name: String, path: String, step: String)] = []

    mutating func set(_ name: String, _ dataset: Dataset) {
        if datasets[name] == nil { order.append(name) }
        datasets[name] = dataset
    }
}

extension Runner {
    func checkpointDirectory(_ run: RunRecord, index: Int, stage: StageName) -> String {
        workspace.work(run.id) + "/" + pad(index + 1, 2) + "-" + stage.rawValue
    }

    /// Reads the environment left by the last committed checkpoint (and the outputs of all before it).
    func loadEnvironment(_ run: RunRecord, stages: [Stage]) throws -> StageEnvironment {
        var env = StageEnvironment()
        for (i, name) in run.completedStages.enumerated() {
            guard let stage = StageName(rawValue: name) else { continue }
            let dir = checkpointDirectory(run, index: i, stage: stage)
            let index = try JSONDecoder().decode(CheckpointIndex.self, from: Data(try FileOperations.readBytes(dir + "/index.json")))
            env.outputs += index.outputs.map { ($0.name, dir + "/" + $0.file, $0.step) }
            if i == run.completedStages.count - 1 {
                for (n, name) in index.datasets.enumerated() {
                    env.set(name, try DatasetCodec.decode(try FileOperations.readBytes(dir + "/datasets/\(n).ds")))
                }
                env.current = index.current
            }
        }
        return env
    }

    /// Runs one stage's steps and commits its checkpoint: the folder is written under a
    /// temporary name, fsynced, renamed, and only then recorded in the ledger.
    func runStage(_ index: Int, of stages: [Stage], manifest: Manifest, run start: RunRecord) throws -> RunRecord {
        var run = start
        let stage = stages[index]
        let final = checkpointDirectory(run, index: index, stage: stage.name)
        let temp = final + ".partial"
        FileOperations.removeTree(temp)
        FileOperations.removeTree(final) // written but not committed before a crash: redo it
        try FileOperations.createDirectory(temp + "/outputs")
        try FileOperations.createDirectory(temp + "/state")
        try FileOperations.createDirectory(temp + "/datasets")
        observer.stageStarted(run, stage: stage.name)
        let started = clock.now()
        var env = try loadEnvironment(run, stages: stages)
        let (connections, _) = connections()
        let effects = EffectLedger(ledger: ledger, run: run.id, scope: run.effectScope, clock: clock, dryRun: false)
        let states = StagedStateStore(ledger: ledger, pipeline: run.pipeline, directory: temp + "/state")
        var reports: [StageReport.StepReport] = []
        var stageOutputs: [CheckpointIndex.Output] = []
        let info = runInfo(run)
        for step in stage.steps {
            let stepStart = clock.now()
            var log = logger
            log[metadataKey: "sluice.run"] = .string(run.id)
            log[metadataKey: "sluice.pipeline"] = .string(run.pipeline)
            log[metadataKey: "sluice.step"] = .string(step.id)
            let frozen = env
            let inputs = run.inputs
            let values: @Sendable () -> TemplateValue = { TemplateValues.make(run: info, inputs: inputs, env: frozen, current: step.input ?? frozen.current) }
            if let condition = step.condition {
                let holds: Bool
                do {
                    holds = try condition.expression.bind(columns: [], variables: TemplateValues.whenVariables(run: info, env: env)).isTrue([])
                } catch {
                    return try fail(run, stage: stage.name, step: step.id, StepError(.configuration, "cannot evaluate 'when: \(condition.expression.source)': \(error.message)"))
                }
                if !holds {
                    reports.append(.init(id: step.id, skipped: true, rows: nil, milliseconds: 0, summary: [:]))
                    continue
                }
            }
            let inputName = step.input ?? env.current
            let context = StepContext(
                run: info, stepID: step.id, outputName: step.output, stage: stage.name,
                input: inputName.flatMap { env.datasets[$0] } ?? Dataset(files: inputFiles(run)),
                inputName: inputName, datasets: env.datasets, inputFiles: inputFiles(run), workspace: workspace,
                outputDirectory: temp + "/outputs", effects: effects, state: states, connections: connections,
                templateValues: values, dryRun: false, logger: log)
            let output: StepOutput
            do {
                output = try step.step.run(context)
            } catch let error as StepError {
                return try fail(run, stage: stage.name, step: step.id, error)
            } catch {
                return try fail(run, stage: stage.name, step: step.id, StepError(.internal, "\(error)"))
            }
            CrashPoint.reached("inside-stage")
            if let d = output.dataset { env.set(step.output, d) }
            for (suffix, d) in output.extras { env.set(step.output + "." + suffix, d) }
            if output.dataset != nil { env.current = step.output }
            for o in output.outputs {
                let relative = o.path.hasPrefix(temp + "/") ? String(o.path.dropFirst(temp.count + 1)) : o.path
                stageOutputs.append(.init(name: o.name, file: relative, step: step.id))
            }
            let ms = Int(clock.now().timeIntervalSince(stepStart) * 1000)
            reports.append(.init(id: step.id, skipped: false, rows: output.dataset?.rows.count, milliseconds: ms,
                                 summary: output.summary.mapValues(\.description)))
            observer.stepFinished(run, step: step.id, rows: output.dataset?.rows.count)
        }
        // Write the checkpoint.
        for (n, name) in env.order.enumerated() {
            try FileOperations.writeAtomically(DatasetCodec.encode(env.datasets[name]!), to: temp + "/datasets/\(n).ds")
        }
        let index = CheckpointIndex(datasets: env.order, current: env.current, outputs: stageOutputs, states: states.stagedNames())
        try FileOperations.writeAtomically(Array(try JSONEncoder().encode(index)), to: temp + "/index.json")
        for o in stageOutputs { try FileOperations.fsync(path: temp + "/" + o.file) }
        try FileOperations.fsync(path: temp + "/outputs")
        try FileOperations.move(temp, to: final)
        CrashPoint.reached("before-checkpoint-commit")
        run.completedStages.append(stage.name.rawValue)
        run.stageReports.append(StageReport(stage: stage.name.rawValue, milliseconds: Int(clock.now().timeIntervalSince(started) * 1000),
                                            steps: reports, datasets: env.datasets.mapValues(\.rows.count)))
        try save(&run)
        CrashPoint.reached("after-checkpoint")
        return run
    }

    func runInfo(_ run: RunRecord) -> RunInfo {
        let time = LocalDateTime(iso: run.runTime) ?? LocalDateTime(date: LocalDate(iso: run.runDate) ?? LocalDate(daysSinceEpoch: 0))
        return RunInfo(id: run.id, pipeline: run.pipeline, date: time.date, time: time, trigger: run.trigger,
                       parameters: run.parameters, effectScope: run.effectScope)
    }

    /// Records a step's failure; the state machine then publishes rejects and archives.
    func fail(_ start: RunRecord, stage: StageName, step: String, _ error: StepError) throws -> RunRecord {
        var run = start
        run.failure = RunFailure(stage: stage.rawValue, step: step, message: error.message, file: error.file, place: error.place,
                                 rows: Array(error.rows.prefix(1000)), hint: error.hint, transient: error.transient)
        // Files the failing step wrote (a rejects file) are kept for publishing.
        if !error.outputs.isEmpty {
            let keep = workspace.work(run.id) + "/failed-outputs"
            try FileOperations.createDirectory(keep)
            for o in error.outputs where FileOperations.exists(o.path) {
                try FileOperations.move(o.path, to: keep + "/" + o.name)
                run.outputs.append(PublishedOutput(name: o.name, path: keep + "/" + o.name, size: 0, sha256: "", step: step))
            }
        }
        logger.error("run failed", metadata: ["sluice.run": .string(run.id), "sluice.step": .string(step), "error": .string(error.description)])
        try save(&run)
        return run
    }
}

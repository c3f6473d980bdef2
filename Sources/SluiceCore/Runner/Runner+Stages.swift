import Foundation
import Logging
import Synchronization

/// What a stage's checkpoint holds besides its datasets and staged states: the datasets'
/// names, the current dataset, and the outputs steps wrote.
struct CheckpointIndex: Codable {
    struct Output: Codable {
        var name: String
        /// Relative to the run's work folder.
        var file: String
        var step: String
    }
    var datasets: [String]
    var current: String?
    var outputs: [Output]
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

    /// Takes in what a step produced: its dataset (which becomes the current one) and extras.
    mutating func absorb(_ output: StepOutput, as name: String) {
        if let d = output.dataset {
            set(name, d)
            current = name
        }
        for (suffix, d) in output.extras { set(name + "." + suffix, d) }
    }
}

/// What one step needs besides its environment, the same for a run and for a plan.
struct StepSetting {
    var info: RunInfo
    var inputs: [RunInput]
    var inputFiles: [AttachedFile]
    var outputDirectory: String
    var effects: any EffectRecorder
    var states: any StepStateStore
    var connections: Connections
    var dryRun: Bool
    var timeZone: TimeZone
}

/// A committed stage's checkpoint: a JSON index, then every dataset and every staged state,
/// each length-prefixed. Stored in the ledger in the same transaction that records the
/// stage as done, so a checkpoint is never half-written or orphaned.
enum CheckpointFile {
    static let magic = Array("SLCK1\n".utf8)

    static func encode(index: CheckpointIndex, datasets: [Dataset], states: [(String, [UInt8])]) throws -> [UInt8] {
        var w = ByteWriter()
        w.bytes += magic
        let json = Array(try JSONEncoder().encode(index))
        w.varint(UInt64(json.count))
        w.bytes += json
        for d in datasets {
            let b = DatasetCodec.encode(d)
            w.varint(UInt64(b.count))
            w.bytes += b
        }
        w.varint(UInt64(states.count))
        for (name, bytes) in states {
            w.string(name)
            w.varint(UInt64(bytes.count))
            w.bytes += bytes
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], datasets wanted: Bool) throws -> (CheckpointIndex, [Dataset], [String: [UInt8]]) {
        guard bytes.starts(with: magic) else { throw DatasetCodec.DecodingError(description: "not a checkpoint file") }
        var r = ByteReader(bytes: bytes)
        r.offset = magic.count
        func chunk() throws -> [UInt8] {
            let n = Int(try r.varint())
            guard r.offset + n <= bytes.count else { throw DatasetCodec.DecodingError(description: "truncated checkpoint") }
            defer { r.offset += n }
            return Array(bytes[r.offset ..< r.offset + n])
        }
        let index = try JSONDecoder().decode(CheckpointIndex.self, from: Data(try chunk()))
        var datasets: [Dataset] = []
        for _ in index.datasets {
            let b = try chunk()
            if wanted { datasets.append(try DatasetCodec.decode(b)) }
        }
        var states: [String: [UInt8]] = [:]
        for _ in 0 ..< (try r.varint()) {
            let name = try r.string()
            states[name] = try chunk()
        }
        return (index, datasets, states)
    }
}

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
                                   makeDurable: { [self] in try makeDurable() })
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
                return try park(run, until: parked.until, reason: "wait")
            } catch {
                for e in effects.takePending() { try ledger.record(e) }
                return try failOrRetry(run, manifest: manifest, step: step, stage: stage.name, error as? StepError ?? StepError(.internal, "\(error)"))
            }
            guard let output else {
                reports.append(.init(id: step.id, skipped: true, rows: nil, milliseconds: 0, summary: [:]))
                continue
            }
            CrashPoint.reached("inside-stage")
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
        for o in stageOutputs { try FileOperations.fsync(path: work + "/" + o.file) }
        let staged = states.staged()
        // The last stage's datasets are never read again: its checkpoint keeps outputs and states
        // only. Before that, a dataset nothing names later is left out too.
        let kept = index == stages.count - 1 ? [] : env.order.filter { $0 == env.current || DatasetUse.isNamedLater($0, in: manifest, workspace: workspace) }
        let contents = CheckpointIndex(datasets: kept, current: env.current, outputs: stageOutputs)
        let bytes = try CheckpointFile.encode(index: contents, datasets: kept.map { env.datasets[$0]! }, states: staged)
        CrashPoint.reached("before-checkpoint-commit")
        run.completedStages.append(stage.name.rawValue)
        run.phase = .stages
        if !staged.isEmpty { run.hasStagedStates = true }
        run.stageReports.append(StageReport(stage: stage.name.rawValue, milliseconds: Int(clock.now().timeIntervalSince(started) * 1000),
                                            steps: reports, datasets: env.datasets.mapValues(\.rows.count)))
        run.updatedAt = clock.now()
        try ledger.commitStage(run, index: index, checkpoint: bytes, effects: effects.takePending())
        env.outputs += stageOutputs.map { (name: $0.name, path: work + "/" + $0.file, step: $0.step) }
        carried = env
        CrashPoint.reached("after-checkpoint")
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
            dryRun: setting.dryRun, logger: log)
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
    func fail(_ start: RunRecord, stage: StageName, step: String, _ error: StepError) throws -> RunRecord {
        var run = start
        run.failure = RunFailure(stage: stage.rawValue, step: step, error)
        // Files the failing step wrote (a rejects file) are kept for publishing.
        for o in error.outputs where FileOperations.exists(o.path) {
            try FileOperations.fsync(path: o.path)
            run.outputs.append(PublishedOutput(name: o.name, path: o.path, size: 0, sha256: "", step: step))
        }
        logger.error("run failed", metadata: ["sluice.run": .string(run.id), "sluice.step": .string(step), "error": .string(error.description)])
        try save(&run)
        return run
    }
}


/// Whether a dataset may be used by a later step: its name (the part before any `.`) appears
/// in the manifest or a template file more than once, i.e. somewhere besides its own `as:`.
/// Deliberately coarse: a name that merely appears in a comment keeps the dataset.
enum DatasetUse {
    /// Answers by manifest version and name, for the life of the process.
    static let known = Mutex<[String: Bool]>([:])

    static func isNamedLater(_ name: String, in manifest: Manifest, workspace: Workspace) -> Bool {
        let root = String(name.split(separator: ".").first ?? Substring(name))
        let key = manifest.contentHash + "\u{0}" + root
        if let answer = known.withLock({ $0[key] }) { return answer }
        let answer = countsMoreThanOnce(root, manifest: manifest, workspace: workspace)
        known.withLock { $0[key] = answer }
        return answer
    }

    static func countsMoreThanOnce(_ root: String, manifest: Manifest, workspace: Workspace) -> Bool {
        var count = occurrences(of: root, in: manifest.source)
        if count > 1 { return true }
        for file in (try? FileManager.default.contentsOfDirectory(atPath: workspace.templates)) ?? [] {
            if let data = FileManager.default.contents(atPath: workspace.templates + "/" + file) {
                count += occurrences(of: root, in: String(decoding: data, as: UTF8.self))
                if count > 1 { return true }
            }
        }
        return false
    }

    /// Whole-word occurrences (a word is letters, digits, `_` and `-`).
    static func occurrences(of word: String, in text: String) -> Int {
        let w = Array(word.unicodeScalars)
        let t = Array(text.unicodeScalars)
        guard !w.isEmpty, t.count >= w.count else { return 0 }
        func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0" ... "9").contains(c) || c == "_" || c == "-" }
        var count = 0
        var i = 0
        while i + w.count <= t.count {
            if t[i] == w[0], Array(t[i ..< i + w.count]) == w,
               i == 0 || !isWord(t[i - 1]), i + w.count == t.count || !isWord(t[i + w.count]) {
                count += 1
                i += w.count
            } else {
                i += 1
            }
        }
        return count
    }
}

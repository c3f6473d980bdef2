import Foundation

/// Which pipelines follow which (`triggers: { after: ventes }`) and which listen to named
/// events (`triggers: { event: order.paid }`), from the manifests in effect.
public final class EventRoutes: Sendable {
    private let manifests = MutexBox<[String: Manifest]>([:])

    public init() {}

    public func set(_ manifests: [String: Manifest]) { self.manifests.withLock { $0 = manifests } }

    /// Pipelines with `after: pipeline`, by name.
    public func followers(of pipeline: String) -> [Manifest] {
        manifests.withLock { $0.values.filter { $0.triggers.after.contains(pipeline) }.sorted { $0.name < $1.name } }
    }

    /// Pipelines with `event: name`, by name.
    public func listeners(of event: String) -> [Manifest] {
        manifests.withLock { $0.values.filter { $0.triggers.events.contains(event) }.sorted { $0.name < $1.name } }
    }
}

/// A named event: emitted by a connector (`email.received`, `order.paid`) or by `sluice emit`.
/// Each pipeline listening to its name gets one run, with the parameters (and files) as input.
public struct PipelineEvent: Sendable {
    public var name: String
    /// Makes delivery idempotent: the same id starts each listening pipeline once.
    public var id: String
    public var parameters: [String: String]
    /// Files given with the event, copied into each run.
    public var files: [String]
    /// The names the files get in the runs (default: their own).
    public var fileNames: [String]?

    public init(name: String, id: String, parameters: [String: String] = [:], files: [String] = [], fileNames: [String]? = nil) {
        self.name = name
        self.id = id
        self.parameters = parameters
        self.files = files
        self.fileNames = fileNames
    }
}

/// Runs created by a trigger other than an inbox: a schedule slot, a pipeline's completion, an
/// event. Each is inserted together with an effect record naming what created it, so the same
/// slot, completion or event never creates a second run, whatever crashes in between. The
/// runs' input files are copied into their work folders before the insert.
extension Runner {
    /// The run for one slot of a watched trigger (a schedule's); nil when that slot already has
    /// its run. The effect key and step carry the trigger's key (`schedule-<pipeline>-<ms>`).
    public func startScheduled(_ manifest: Manifest, slot: Date, trigger: String = ScheduleTrigger.key) throws -> RunRecord? {
        let key = "\(trigger)-\(manifest.name)-\(Int64((slot.timeIntervalSince1970 * 1000).rounded()))"
        let effect = EffectRecord(key: key, run: "", step: Self.slotStep(trigger, manifest.name), item: slot.iso8601, state: .done,
                                  detail: trigger == ScheduleTrigger.key ? manifest.triggers.schedule : nil, at: slot)
        return try createRun(manifest, trigger: trigger, effect: effect, time: slot, files: []) { $0.scheduledFor = slot }
    }

    /// The effect step under which a pipeline's fired schedule slots are recorded.
    public static func scheduleStep(_ pipeline: String) -> String { slotStep(ScheduleTrigger.key, pipeline) }

    /// The effect step under which the slots of a pipeline's trigger `key` are recorded.
    public static func slotStep(_ key: String, _ pipeline: String) -> String { key + ":" + pipeline }

    /// The last slot a pipeline's trigger `key` started a run for.
    public func lastSlot(_ pipeline: String, trigger key: String) throws -> Date? {
        try ledger.latestEffect(step: Self.slotStep(key, pipeline))?.at
    }

    /// Delivers an event: one run for each listening pipeline that has not had this event yet.
    /// The runs are recorded, not driven: the daemon (or the caller) drives them.
    @discardableResult
    public func emit(_ event: PipelineEvent) throws -> [RunRecord] {
        var created: [RunRecord] = []
        for manifest in routes.listeners(of: event.name) {
            let effect = EffectRecord(key: "event-" + SHA256.hex(Array("\(event.name)\u{0}\(event.id)\u{0}\(manifest.name)".utf8)),
                                      run: "", step: "event:" + event.name, item: event.id, state: .done, detail: manifest.name, at: clock.now())
            let names = event.fileNames ?? event.files.map { ($0 as NSString).lastPathComponent }
            let files = Array(zip(names, event.files))
            if let run = try createRun(manifest, trigger: "event", effect: effect, time: clock.now(), files: files, change: {
                $0.parameters = event.parameters
                $0.triggeredBy = "event:\(event.name):\(event.id)"
            }) {
                created.append(run)
            }
        }
        return created
    }

    /// Starts the runs of pipelines with `after: <this pipeline>`, with the run's published
    /// outputs as their inputs. Called before the run completes, so a crash repeats it; the
    /// effect records make the repeat start nothing twice. A chain that comes back to a
    /// pipeline already in it stops there.
    func startFollowers(of run: RunRecord) throws {
        guard run.status == .succeeded, run.trigger != "reprocess" else { return }
        let followers = routes.followers(of: run.pipeline)
        guard !followers.isEmpty else { return }
        var chain: Set<String> = [run.pipeline]
        var parent = run.triggeredBy
        for _ in 0 ..< 32 {
            guard let p = parent, p.hasPrefix("after:"), let earlier = try ledger.run(id: String(p.dropFirst(6))) else { break }
            chain.insert(earlier.pipeline)
            parent = earlier.triggeredBy
        }
        for manifest in followers {
            if chain.contains(manifest.name) {
                observer.notice("\(manifest.name) follows \(run.pipeline), but is already in this chain of runs; not started again")
                continue
            }
            let effect = EffectRecord(key: "after-\(run.id)-\(manifest.name)", run: run.id, step: "after:" + manifest.name,
                                      item: run.id, state: .done, detail: nil, at: clock.now())
            let files = run.outputs.map { ($0.name, workspace.root + "/" + $0.path) }
            try createRun(manifest, trigger: "after", effect: effect, time: clock.now(), files: files) {
                $0.triggeredBy = "after:\(run.id)"
            }
        }
    }

    @discardableResult
    func createRun(_ manifest: Manifest, trigger: String, effect: EffectRecord, time: Date, files: [(name: String, path: String)],
                   change: (inout RunRecord) -> Void) throws -> RunRecord? {
        try createRun(manifest, trigger: trigger, effects: [effect], time: time, files: files, change: change)
    }

    /// Creates a run unless the first of `effects` is recorded already; the effects are
    /// recorded with the run, in its transaction. `taking` moves the files into the run
    /// (they are the runner's own, staged by a source) instead of copying them.
    @discardableResult
    func createRun(_ manifest: Manifest, trigger: String, effects: [EffectRecord], time: Date, files: [(name: String, path: String)],
                   taking: Bool = false, change: (inout RunRecord) -> Void) throws -> RunRecord? {
        if let first = effects.first, try ledger.effect(key: first.key) != nil { return nil }
        try ledger.storeManifest(hash: manifest.contentHash, source: manifest.source)
        let local = localTime(time, of: manifest)
        var inputs: [RunInput] = []
        for (name, path) in files {
            let (sha, size) = try FileOperations.sha256(path: path)
            inputs.append(RunInput(name: name, sha256: sha, size: size, origin: workspace.relative(path)))
        }
        var run = RunRecord(id: newRunID(), pipeline: manifest.name, trigger: trigger, now: clock.now(),
                            runDate: local.date.description, runTime: local.description,
                            manifestHash: manifest.contentHash, inputs: inputs)
        change(&run)
        try FileOperations.makeDirectory(workspace.work(run.id))
        try FileOperations.fsyncDirectory(of: workspace.work(run.id), deferral: syncs)
        for (n, (_, path)) in files.enumerated() {
            if taking {
                try FileOperations.fsync(path: path, deferral: syncs)
                try FileOperations.move(path, to: inputPath(run, inputs[n].name), deferral: syncs)
            } else {
                // A real copy: the source stays where it is (an outbox, a file given with an event).
                try FileOperations.copyDurably(path, to: inputPath(run, inputs[n].name), deferral: syncs)
            }
        }
        run.phase = .stages
        run.status = .running
        let records = effects.map { var e = $0; e.run = run.id; return e }
        try ledger.insert(run, recording: records)
        return run
    }

    /// A manual run of `pipeline` (`sluice trigger` while a daemon runs, the HTTP API), recorded
    /// for the daemon to drive: its files copied into the run, never moved.
    public func recordManualRun(pipeline: String, parameters: [String: String], files: [String]) throws -> RunRecord {
        try recordFiredRun(trigger: ManualTrigger.key, pipeline: pipeline, parameters: parameters, files: files)
    }

    /// A run of `pipeline` started by its fired trigger `key` (`manual`, next `webhook`), as the
    /// trigger's `FiredTrigger.start` makes it of the firing; recorded for the daemon to drive,
    /// its files copied into the run, never moved.
    public func recordFiredRun(trigger key: String, pipeline: String, parameters: [String: String], files: [String]) throws -> RunRecord {
        let (manifests, broken) = loadManifests()
        if let b = broken.first(where: { $0.name == pipeline }) {
            throw StepError(.configuration, "the manifest \(b.path) has errors (\(b.firstErrors)); see `sluice validate`")
        }
        guard let manifest = manifests[pipeline] else {
            throw StepError(.configuration, "no pipeline named '\(pipeline)'\(Suggestion.didYouMean(pipeline, among: manifests.keys))")
        }
        guard let (registration, configuration) = manifest.triggers.configured(key), let firer = registration.firer else {
            if key == ManualTrigger.key {
                throw StepError(.configuration, "pipeline '\(pipeline)' does not allow manual runs (triggers.manual is false)")
            }
            throw StepError(.configuration, "pipeline '\(pipeline)' has no trigger '\(key)' that may be fired")
        }
        let firing = TriggerFiring(pipeline: pipeline, parameters: parameters, files: files, now: clock.now())
        guard let start = try firer.start(configuration, firing) else {
            throw StepError(.configuration, "the \(key) run of '\(pipeline)' was not created")
        }
        let named = start.files.map { (name: ($0 as NSString).lastPathComponent, path: URL(fileURLWithPath: $0).standardizedFileURL.path) }
        let run = try createRun(manifest, trigger: key, effects: [], time: firing.now, files: named) {
            $0.parameters = start.parameters
            if let origin = start.origin { $0.triggeredBy = origin }
        }
        guard let run else { throw StepError(.configuration, "the \(key) run of '\(pipeline)' was not created") }
        return run
    }
}

import Foundation
import Logging

/// What `sluice plan` found: for each ready inbox file, what a run would do. Nothing is
/// claimed, published or sent.
public struct PlanReport: Sendable, Codable {
    public struct FilePlan: Sendable, Codable {
        public var file: String
        public var disposition: String
        public var steps: [StepPlan]
        public var outputs: [String]
        public var effects: [String]
        public var error: String?
    }
    public struct StepPlan: Sendable, Codable {
        public var step: String
        public var skipped: Bool
        public var rows: Int?
        public var rejected: Int?
    }
    public var pipeline: String
    public var files: [FilePlan]
    public var skipped: [String]
}

/// Records effects without doing them.
struct PlanningEffects: EffectRecorder {
    let base: EffectLedger
    let planned: PlannedEffects

    func key(step: String, item: String) -> String { base.key(step: step, item: item) }

    func perform(step: String, item: String, description: String, targetDeduplicates: Bool,
                 _ body: (String) throws -> String?) throws -> EffectOutcome {
        let outcome = try base.perform(step: step, item: item, description: description, targetDeduplicates: targetDeduplicates, body)
        planned.append(outcome == .planned ? "would \(description)" : "already done: \(description)")
        return outcome
    }
}

final class PlannedEffects: Sendable {
    private let items = MutexBox<[String]>([])
    func append(_ s: String) { items.withLock { $0.append(s) } }
    var all: [String] { items.withLock { $0 } }
}

extension Runner {
    /// A dry run over what is in the pipeline's inbox now.
    public func plan(pipeline: String) throws -> PlanReport {
        let (manifests, broken) = loadManifests()
        if let b = broken.first(where: { $0.name == pipeline }) {
            throw StepError(.configuration, "the manifest \(b.path) has errors (\(b.firstErrors)); see `sluice validate`")
        }
        guard let manifest = manifests[pipeline] else {
            throw StepError(.configuration, "no pipeline named '\(pipeline)'\(Suggestion.didYouMean(pipeline, among: manifests.keys))")
        }
        var report = PlanReport(pipeline: pipeline, files: [], skipped: [])
        guard let scanner = InboxScanner(inboxOf: manifest, in: workspace, clock: fileClock, settling: .ignore) else { return report }
        let scan = scanner.readyFiles()
        report.skipped = scan.skipped.map { workspace.relative($0.path) + ": " + $0.reason }
        let scratch = NSTemporaryDirectory() + "sluice-plan-\(getpid())-\(clock.randomSuffix())"
        defer { FileOperations.removeTree(scratch) }
        let (connections, _) = connections()
        for file in scan.ready {
            var plan = PlanReport.FilePlan(file: workspace.relative(file.path), disposition: "new", steps: [], outputs: [], effects: [], error: nil)
            if let refusal = file.refusal {
                plan.disposition = "refused"
                plan.error = refusal
                report.files.append(plan)
                continue
            }
            let (sha, _) = try FileOperations.sha256(path: file.path)
            if let earlier = try ledger.runProcessing(pipeline: pipeline, sha256: sha) {
                plan.disposition = "duplicate of \(earlier)"
                report.files.append(plan)
                continue
            }
            if let previous = try ledger.latestRun(pipeline: pipeline, inputName: file.name) {
                plan.disposition = "correction of \(previous.id)"
            }
            let local = localTime(clock.now(), of: manifest)
            let runID = "plan-" + clock.randomSuffix()
            var info = RunInfo(id: runID, pipeline: pipeline, date: local.date, time: local, trigger: "inbox", effectScope: runID)
            info.locale = manifest.locale
            var env = StageEnvironment()
            let planned = PlannedEffects()
            let output = scratch + "/" + runID
            try FileOperations.createDirectory(output)
            let setting = StepSetting(
                info: info, inputs: [RunInput(name: file.name, sha256: sha, size: file.size, origin: workspace.relative(file.path))],
                inputFiles: [AttachedFile(name: file.name, path: file.path)], outputDirectory: output,
                effects: PlanningEffects(base: EffectLedger(ledger: ledger, run: runID, scope: runID, clock: clock, dryRun: true), planned: planned),
                states: StagedStateStore(ledger: ledger, pipeline: pipeline), connections: connections, dryRun: true,
                timeZone: manifest.timeZone)
            steps: for stage in manifest.stages {
                for step in stage.steps {
                    do {
                        guard let out = try executeStep(step, stage: stage.name, env: env, setting: setting) else {
                            plan.steps.append(.init(step: step.id, skipped: true))
                            continue
                        }
                        env.absorb(out, as: step.output)
                        plan.outputs += out.outputs.map(\.name)
                        env.outputs += out.outputs.map { ($0.name, $0.path, step.id) }
                        plan.steps.append(.init(step: step.id, skipped: false, rows: out.dataset?.rows.count, rejected: out.extras["rejects"]?.rows.count))
                    } catch {
                        plan.error = "\(step.id): \(error)"
                        plan.steps.append(.init(step: step.id, skipped: false))
                        if let e = error as? StepError { plan.outputs += e.outputs.map(\.name) }
                        break steps
                    }
                }
            }
            plan.effects = planned.all
            report.files.append(plan)
        }
        return report
    }
}

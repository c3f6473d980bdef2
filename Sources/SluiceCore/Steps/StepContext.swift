import Foundation
import Logging

/// Facts about the run a step belongs to.
public struct RunInfo: Sendable {
    public var id: String
    public var pipeline: String
    /// The run's date and time in the pipeline's time zone, fixed when the run was created.
    public var date: LocalDate
    public var time: LocalDateTime
    public var trigger: String
    public var parameters: [String: String]
    /// The scope effect keys are made in: the run id, or the original run's when reprocessing.
    public var effectScope: String
    /// Which try this is (1 for the first; more after transient failures).
    public var attempt: Int = 1
    /// Why the run failed, for `on-failure` steps.
    public var failure: RunFailure?
    /// The pipeline's `locale:` (`fr-CH`), which formatting filters in templates use; nil for the machine's.
    public var locale: String?

    public init(id: String, pipeline: String, date: LocalDate, time: LocalDateTime, trigger: String,
                parameters: [String: String] = [:], effectScope: String) {
        self.id = id
        self.pipeline = pipeline
        self.date = date
        self.time = time
        self.trigger = trigger
        self.parameters = parameters
        self.effectScope = effectScope
    }
}

/// How an effect went.
public enum EffectOutcome: Sendable, Hashable {
    /// Done now; `detail` is what the other side answered (a status, an id).
    case done(detail: String?)
    /// Done by an earlier attempt of this run (or of the run this one reprocesses).
    case alreadyDone(detail: String?)
    /// A dry run (`sluice plan`): described, not done.
    case planned
}

/// The effect ledger, as steps see it: anything that leaves the workspace goes through
/// `perform`, under an idempotency key made from (run scope, step, item).
public protocol EffectRecorder: Sendable {
    /// The key the other side can use to drop repeats (an `Idempotency-Key` header).
    func key(step: String, item: String) -> String
    /// Runs `body` unless the effect is already recorded as done. `body` gets the key.
    ///
    /// `targetDeduplicates`: the other side itself records the key in the same transaction as
    /// the effect (a database step's `_sluice_effects` row), so the ledger's record can wait
    /// for the stage's commit instead of costing a commit of its own.
    func perform(step: String, item: String, description: String, targetDeduplicates: Bool,
                 _ body: (String) throws -> String?) throws -> EffectOutcome
}

extension EffectRecorder {
    public func perform(step: String, item: String, description: String,
                        _ body: (String) throws -> String?) throws -> EffectOutcome {
        try perform(step: step, item: item, description: description, targetDeduplicates: false, body)
    }
}

/// Per-pipeline state kept between successful runs (used by `delta`).
public protocol StepStateStore: Sendable {
    /// The state committed by the pipeline's last successful run.
    func committed(name: String) throws -> Dataset?
    /// Keeps `dataset` as the new state; committed only if the run succeeds.
    func stage(name: String, _ dataset: Dataset) throws
}

/// Everything a step can use while it runs.
public struct StepContext: Sendable {
    public var run: RunInfo
    /// `load[0].database`
    public var stepID: String
    /// The name of the dataset this step produces (its `as:`, else its kind).
    public var outputName: String
    public var stage: StageName
    /// The dataset named by `from:` (or produced by the previous step); empty for the first extract step.
    public var input: Dataset
    public var inputName: String?
    /// Every dataset produced so far, by name.
    public var datasets: [String: Dataset]
    /// The run's claimed input files.
    public var inputFiles: [AttachedFile]
    /// Files earlier steps of the run wrote (its outputs so far), where they are now: in the
    /// run's work folder, or in `outbox/<pipeline>/` once published. In `on-failure` steps,
    /// the outputs the failed run published (its rejects).
    public var outputs: [AttachedFile] = []
    public var workspace: Workspace
    /// A folder for files this step produces; return them in `StepOutput.outputs`.
    public var outputDirectory: String
    public var effects: any EffectRecorder
    public var state: any StepStateStore
    public var connections: Connections
    /// `run`, datasets and figures, for templates; computed when first asked for.
    /// Given a template's text, the values it can use; datasets the text never names are
    /// left out, so rendering a file name does not total every column of every dataset.
    public var templateValuesProvider: @Sendable (String?) -> TemplateValue
    public var templateValues: TemplateValue { templateValuesProvider(nil) }
    /// True in `sluice plan`: compute, write to scratch, but do no effect.
    public var dryRun: Bool
    public var logger: Logger
    /// The time the step starts, from the runner's clock.
    public var now: Date = Date()
    /// The pipeline's time zone.
    public var timeZone: TimeZone = .current
    /// The runner's own services and crash points, shared with no other runner in the process:
    /// a step kind keeps its connection pool here (`resources.service(_:make:)`).
    public var resources: RunnerResources

    public init(run: RunInfo, stepID: String, outputName: String, stage: StageName, input: Dataset, inputName: String?, datasets: [String: Dataset],
                inputFiles: [AttachedFile], workspace: Workspace, outputDirectory: String, effects: any EffectRecorder,
                state: any StepStateStore, connections: Connections, templateValues: @escaping @Sendable (String?) -> TemplateValue, dryRun: Bool, logger: Logger,
                resources: RunnerResources = RunnerResources()) {
        self.resources = resources
        self.run = run
        self.stepID = stepID
        self.outputName = outputName
        self.stage = stage
        self.input = input
        self.inputName = inputName
        self.datasets = datasets
        self.inputFiles = inputFiles
        self.workspace = workspace
        self.outputDirectory = outputDirectory
        self.effects = effects
        self.state = state
        self.connections = connections
        self.templateValuesProvider = templateValues
        self.dryRun = dryRun
        self.logger = logger
    }

    /// Renders a template with the run's values.
    public func render(_ template: TemplateSource, escaping: TemplateEscaping = .none) throws -> String {
        do {
            return try template.template.render(templateValuesProvider(template.template.source), escaping: escaping)
        } catch {
            throw StepError(.configuration, "cannot render template '\(template.template.source)': \(error.message)")
        }
    }

    /// Renders a file name and refuses one that would leave the output folder.
    public func renderFileName(_ template: TemplateSource) throws -> String {
        let name = try render(template)
        guard !name.isEmpty, !name.contains("/"), !name.contains("\0"), name != ".", name != "..", !name.hasPrefix(".") else {
            throw StepError(.configuration, "the file name '\(name.escapingControlCharacters)' (from '\(template.template.source)') is not a plain file name",
                            hint: "file names may not be empty, start with '.', or contain '/'")
        }
        return name
    }
}

import Foundation
import Yams

/// Reads `pipelines/*.yaml`, builds every step through the registry, and checks the
/// whole manifest: every problem is reported at once, with its file, line and column.
public struct ManifestLoader: Sendable {
    public let registry: StepRegistry
    /// The triggers `triggers:` may name.
    public let triggerRegistry: TriggerRegistry
    /// The workspace around the manifests: template files, connections and environment
    /// variables are checked when it is given.
    public let workspace: ManifestWorkspace?

    public init(registry: StepRegistry, workspace: ManifestWorkspace? = nil, triggers: TriggerRegistry = TriggerKinds.registry) {
        self.registry = registry
        self.triggerRegistry = triggers
        self.workspace = workspace
    }

    /// The outcome for one file: a manifest when it has no errors, and its diagnostics.
    public struct Loaded: Sendable {
        public var name: String
        public var path: String
        public var source: String
        public var manifest: Manifest?
        public var diagnostics: Diagnostics

        /// The first errors, located, for a one-line refusal (`pipelines/x.yaml:4:9: ...`).
        public var firstErrors: String {
            let errors = diagnostics.sorted.filter { $0.severity == .error }
            return errors.prefix(2).map(\.description).joined(separator: "; ") + (errors.count > 2 ? "; and \(errors.count - 2) more" : "")
        }
    }

    static let topLevelKeys = ["description", "triggers", "timezone", "locale", "retry", "queue", "concurrency",
                               "extract", "transform", "load", "notify", "on-failure"]
    static let stepKeys = ["as", "from", "when", "retry"]

    /// Loads every manifest in `directory` (sorted by name). A broken one never stops the others.
    public func loadAll(directory: String, relativeTo root: String) -> [Loaded] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.filter { !$0.hasPrefix(".") }.sorted().map { name in
            let full = directory + "/" + name
            let relative = full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : full
            guard let data = FileManager.default.contents(atPath: full) else {
                return Loaded(name: pipelineName(name), path: relative, source: "", manifest: nil,
                              diagnostics: Diagnostics([Diagnostic(.error, "cannot read \(relative)")]))
            }
            return load(source: String(decoding: data, as: UTF8.self), path: relative)
        }
    }

    func pipelineName(_ fileName: String) -> String {
        var n = fileName
        for ext in [".yaml", ".yml"] where n.hasSuffix(ext) { n.removeLast(ext.count) }
        return n
    }

    /// Parses and checks one manifest's text. `path` is what messages name.
    public func load(source: String, path: String) -> Loaded {
        let name = pipelineName(String(path.split(separator: "/").last ?? Substring(path)))
        var diagnostics = Diagnostics()
        let node: Node?
        do {
            node = try Yams.compose(yaml: source)
        } catch let error as YamlError {
            diagnostics.append(YAMLErrorDiagnostic.make(error, source: source, path: path))
            return Loaded(name: name, path: path, source: source, manifest: nil, diagnostics: diagnostics)
        } catch {
            diagnostics.error("cannot parse YAML: \(error)", at: SourceLocation(file: path, line: 1, column: 1))
            return Loaded(name: name, path: path, source: source, manifest: nil, diagnostics: diagnostics)
        }
        guard let root = node, case let .mapping(top) = root else {
            diagnostics.error("a manifest is a mapping with at least 'extract' and one more stage", at: SourceLocation(file: path, line: 1, column: 1))
            return Loaded(name: name, path: path, source: source, manifest: nil, diagnostics: diagnostics)
        }
        if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            diagnostics.error("pipeline name '\(name)' (from the file name) may only hold letters, digits, '-' and '_'", at: SourceLocation(file: path, line: 1, column: 1))
        }
        for (key, _) in top where !Self.topLevelKeys.contains(key.string ?? "") {
            let k = key.string ?? ""
            diagnostics.error("unknown key '\(k)' at the top of the manifest\(Suggestion.didYouMean(k, among: Self.topLevelKeys))",
                              at: location(key.mark, file: path))
        }
        let decoder = ManifestDecoder(file: path)
        let description = top["description"]?.string
        let timezone = top["timezone"]?.string
        if let tz = timezone, TimeZone(identifier: tz) == nil {
            diagnostics.error("unknown time zone '\(tz)'; use an IANA name such as Europe/Zurich", at: location(top["timezone"]?.mark, file: path))
        }
        let locale = top["locale"]?.string
        if let l = locale, TemplateFormatting.locale(named: l) == nil {
            diagnostics.error(TemplateFormatting.unknownLocaleMessage(l), at: location(top["locale"]?.mark, file: path), path: "locale")
        }
        let retry = loadRetry(top["retry"], decoder: decoder, diagnostics: &diagnostics)
        var queue = "default"
        if let q = top["queue"] {
            if let text = q.string, !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) { queue = text } else {
                diagnostics.error("'queue' names a queue: one word, e.g. 'critical' or 'default'", at: location(q.mark, file: path))
            }
        }
        var concurrency = 1
        if let c = top["concurrency"] {
            if let n = c.int, n >= 1, n <= 64 { concurrency = n } else {
                diagnostics.error("'concurrency' is how many runs of this pipeline may go at once: a number from 1 to 64", at: location(c.mark, file: path))
            }
        }
        var triggers = triggerRegistry.read(top["triggers"], decoder: decoder, diagnostics: &diagnostics)

        var stages: [Stage] = []
        var checker = PipelineChecker(file: path, workspace: workspace)
        for stageName in StageName.allCases {
            guard let stageNode = top[stageName.rawValue] else { continue }
            guard case let .sequence(list) = stageNode else {
                diagnostics.error("'\(stageName.rawValue)' must be a list of steps (each line starting with '- ')", at: location(stageNode.mark, file: path))
                continue
            }
            var steps: [StepInstance] = []
            for (i, stepNode) in list.enumerated() {
                if let step = loadStep(stepNode, stage: stageName, index: i, decoder: decoder, checker: &checker, diagnostics: &diagnostics) {
                    steps.append(step)
                }
            }
            stages.append(Stage(name: stageName, steps: steps))
        }
        triggerRegistry.addSources(of: stages, to: &triggers)
        var onFailure: [StepInstance] = []
        if let node = top["on-failure"] {
            if case let .sequence(list) = node {
                for (i, stepNode) in list.enumerated() {
                    if var step = loadStep(stepNode, stage: .notify, index: i, decoder: decoder, checker: &checker, diagnostics: &diagnostics) {
                        step.id = "on-failure[\(i)].\(step.kind)"
                        onFailure.append(step)
                    }
                }
            } else {
                diagnostics.error("'on-failure' must be a list of notify steps (each line starting with '- ')", at: location(node.mark, file: path))
            }
        }
        if stages.allSatisfy({ $0.steps.isEmpty }) && !diagnostics.hasErrors {
            diagnostics.error("the manifest has no steps; add an 'extract' list", at: SourceLocation(file: path, line: 1, column: 1))
        }
        diagnostics.append(contentsOf: checker.diagnostics)
        if let workspace {
            diagnostics.append(contentsOf: ManifestEnvironmentCheck.check(root, uses: checker.connectionUses, file: path, workspace: workspace))
        }
        var manifest = Manifest(name: name, path: path, source: source, contentHash: SHA256.hex(Array(source.utf8)),
                                description: description, triggers: triggers, timezone: timezone, retry: (retry ?? RetryPolicy()).over(.defaults),
                                queue: queue, concurrency: concurrency, stages: stages, onFailure: onFailure)
        manifest.locale = locale
        return Loaded(name: name, path: path, source: source, manifest: diagnostics.hasErrors ? nil : manifest, diagnostics: diagnostics)
    }

    func loadRetry(_ node: Node?, decoder: ManifestDecoder, diagnostics: inout Diagnostics) -> RetryPolicy? {
        guard let node else { return nil }
        do {
            let policy = try decoder.decode(RetryPolicy.self, from: node, context: "in 'retry'", diagnostics: &diagnostics)
            if let problem = policy.problem { diagnostics.error("retry: \(problem)", at: location(node.mark, file: decoder.file)) }
            return policy
        } catch {
            diagnostics.append(decodingDiagnostic(error, path: decoder.file))
            return nil
        }
    }

    func loadStep(_ node: Node, stage: StageName, index: Int, decoder: ManifestDecoder,
                  checker: inout PipelineChecker, diagnostics: inout Diagnostics) -> StepInstance? {
        let at = location(node.mark, file: decoder.file)
        guard case let .mapping(m) = node else {
            diagnostics.error("a step is a mapping whose first key names its kind, e.g. '- csv: { delimiter: \";\" }'", at: at)
            return nil
        }
        let kindKeys = m.keys.compactMap(\.string).filter { !Self.stepKeys.contains($0) }
        guard kindKeys.count == 1, let kind = kindKeys.first else {
            let known = registry.kinds(in: stage)
            if kindKeys.isEmpty {
                diagnostics.error("step \(stage.rawValue)[\(index)] names no kind; \(stage.rawValue) kinds: \(known.joined(separator: ", "))", at: at)
            } else {
                let kinds = kindKeys.map { "'\($0)'" }.joined(separator: ", ")
                diagnostics.error("step \(stage.rawValue)[\(index)] has several kind keys (\(kinds)); write one step per list item, or use 'as', 'from', 'when' for the step's own settings", at: at)
            }
            return nil
        }
        let kindKey = m.first { $0.key.string == kind }!
        let kindAt = location(kindKey.key.mark, file: decoder.file)
        guard let registration = registry[kind, stage] else {
            let elsewhere = registry.all(kind)
            if elsewhere.isEmpty {
                diagnostics.error("unknown step kind '\(kind)'\(Suggestion.didYouMean(kind, among: registry.kinds(in: stage))); \(stage.rawValue) kinds: \(registry.kinds(in: stage).joined(separator: ", "))", at: kindAt)
            } else {
                let allowed = StageName.allCases.filter { s in elsewhere.contains { $0.stages.contains(s) } }.map(\.rawValue).joined(separator: " or ")
                diagnostics.error("step kind '\(kind)' belongs in \(allowed), not in \(stage.rawValue)", at: kindAt)
            }
            return nil
        }
        let id = "\(stage.rawValue)[\(index)].\(kind)"
        var configNode = kindKey.value
        if isNull(configNode) { configNode = .mapping(Node.Mapping([], .implicit, .block, kindKey.value.mark)) }
        let step: any Step
        do {
            step = try registration.build(decoder, configNode, "in step '\(kind)'", &diagnostics)
        } catch {
            diagnostics.append(decodingDiagnostic(error, path: decoder.file, context: "in step '\(kind)'", manifestPath: id))
            return nil
        }
        var output = kind
        if let a = m["as"] {
            if let s = a.string, !s.isEmpty, !s.contains("."), !s.contains(" ") { output = s } else {
                diagnostics.error("'as' names a dataset: one word without dots or spaces", at: location(a.mark, file: decoder.file))
            }
        }
        var input: String?
        if let f = m["from"] { input = f.string }
        var condition: ExpressionSource?
        if let w = m["when"] {
            do { condition = try decoder.decode(ExpressionSource.self, from: w, context: "in 'when'", diagnostics: &diagnostics) } catch {
                diagnostics.append(decodingDiagnostic(error, path: decoder.file))
            }
        }
        let retry = loadRetry(m["retry"], decoder: decoder, diagnostics: &diagnostics)
        let instance = StepInstance(id: id, stage: stage, kind: kind, step: step, output: output, input: input,
                                    condition: condition, retry: retry, location: kindAt)
        checker.check(instance, node: configNode, fromNode: m["from"])
        return instance
    }
}

/// `manifestPath` is where the decoded value sits in the manifest (`notify[0].email`).
func decodingDiagnostic(_ error: any Error, path: String, context: String = "", manifestPath: String? = nil) -> Diagnostic {
    if let e = error as? ManifestDecodingError {
        let at = [manifestPath, e.path].compactMap { $0 }.joined(separator: ".")
        return Diagnostic(.error, e.message + (context.isEmpty ? "" : " " + context), at: e.location, path: at.isEmpty ? nil : at)
    }
    return Diagnostic(.error, "\(error)" + (context.isEmpty ? "" : " " + context), at: SourceLocation(file: path, line: 1, column: 1))
}

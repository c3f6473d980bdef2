import Testing
@testable import SluiceCore

/// A step kind for tests: reads nothing, declares two columns.
struct ProbeStep: Step {
    struct Configuration: Decodable, Sendable {
        var delimiter: String?
        var onInvalid: String?
        var columns: [String]?
        var count: Int?
        var settle: DurationValue?
    }
    static let kind = "probe"
    static let stages: Set<StageName> = [.extract, .transform]
    static let documentation = StepDocumentation(summary: "test", fields: [], example: "- probe: {}")
    let configuration: Configuration
    init(configuration: Configuration) { self.configuration = configuration }
    func check(_ context: inout StepCheckContext) {
        for (i, c) in (configuration.columns ?? []).enumerated() { context.requireColumn(c, at: ["columns", String(i)]) }
        if context.stage == .extract { context.output = .known([Column("Produit", .string), Column("Montant", .decimal)]) }
    }
    func run(_ context: StepContext) throws -> StepOutput { StepOutput(dataset: context.input) }
}

@Suite struct ManifestLoaderTests {
    let loader = ManifestLoader(registry: StepRegistry([ProbeStep.registration]))

    func errors(_ yaml: String) -> [String] {
        loader.load(source: yaml, path: "pipelines/t.yaml").diagnostics.sorted.map(\.description)
    }

    @Test func aGoodManifestLoads() throws {
        let l = loader.load(source: """
        description: test
        triggers: { inbox: { settle: 500ms, pattern: "*.csv" } }
        extract:
          - probe: { delimiter: ";", on-invalid: keep, columns: Produit }
            as: ventes
        transform:
          - probe: { columns: [Produit, Montant] }
        """, path: "pipelines/t.yaml")
        let m = try #require(l.manifest, "\(l.diagnostics.items)")
        #expect(m.name == "t" && m.description == "test")
        #expect(m.triggers.inbox?.settle == DurationValue(milliseconds: 500) && m.triggers.inbox?.patterns == ["*.csv"])
        #expect(m.stages.map(\.name) == [.extract, .transform])
        #expect(m.allSteps.map(\.id) == ["extract[0].probe", "transform[0].probe"])
        #expect(m.allSteps[0].output == "ventes" && m.allSteps[1].output == "probe")
        let probe = try #require(m.allSteps[0].step as? ProbeStep)
        #expect(probe.configuration.onInvalid == "keep" && probe.configuration.columns == ["Produit"])
    }

    @Test func unknownKeysAreLocatedWithASuggestion() {
        #expect(errors("""
        extract:
          - probe: { delimter: ";" }
        """) == ["pipelines/t.yaml:2:14: error: unknown key 'delimter' in step 'probe'; did you mean 'delimiter'?"])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let e = errors("""
        trigers: {}
        extract:
          - probe: {}
          - prob: {}
        load:
          - probe: {}
        transform:
          - probe: { columns: [Prodit] }
          - probe: { count: many }
            from: nowhere
        """)
        #expect(e.count == 5, "\(e)")
        #expect(e[0] == "pipelines/t.yaml:1:1: error: unknown key 'trigers' at the top of the manifest; did you mean 'triggers'?")
        #expect(e.contains { $0.hasPrefix("pipelines/t.yaml:9:21: error: expected a whole number for 'count', found 'many'") }, "\(e)")
        #expect(e.contains { $0.contains("8:24: error: unknown column 'Prodit'; did you mean 'Produit'?") }, "\(e)")
        #expect(e.contains { $0.contains("4:5: error: unknown step kind 'prob'; did you mean 'probe'?") })
        #expect(e.contains { $0.contains("6:5: error: step kind 'probe' belongs in extract or transform, not in load") })
        #expect(e.contains { $0.contains("10:11: error: unknown dataset 'nowhere' in 'from'") } == false, "a step that does not decode is not checked further")
    }

    @Test func badYAMLIsLocated() {
        let e = errors("extract:\n  - probe: { delimiter: ';'\n")
        #expect(e.count == 1 && e[0].hasPrefix("pipelines/t.yaml:") && e[0].contains("invalid YAML"))
    }

    @Test func aStepNeedsExactlyOneKind() {
        #expect(errors("extract:\n  - as: x\n")[0].contains("names no kind"))
        #expect(errors("extract:\n  - probe: {}\n    csv: {}\n")[0].contains("several kind keys"))
    }

    @Test func durations() {
        #expect(DurationValue(parsing: "1h30m")?.milliseconds == 5_400_000)
        #expect(DurationValue(parsing: "2")?.milliseconds == 2000)
        #expect(DurationValue(parsing: "2 weeks") == nil)
        #expect(errors("extract:\n  - probe: { settle: soon }\n")[0].contains("'soon' is not a duration"))
    }

    @Test func diagnosticsRenderWithACaret() {
        let d = Diagnostic(.error, "unknown key 'x'", at: SourceLocation(file: "f", line: 2, column: 5))
        #expect(d.rendered(source: "a: 1\nb: { x: 1 }\n") == "f:2:5: error: unknown key 'x'\n    b: { x: 1 }\n        ^")
    }

    @Test func environmentSubstitutionInConnections() {
        let (v, used, missing) = Connections.substitute("Bearer ${env:TOKEN} ${env:NOPE:-fallback} ${env:GONE}", ["TOKEN": "s3cret"])
        #expect(v == "Bearer s3cret fallback " && used && missing == ["GONE"])
        #expect("\(Secret("s3cret"))" == "<redacted>")
    }
}

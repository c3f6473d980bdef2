import SluiceCore
import SluiceSteps
import Testing

/// Every registered kind's documented example must validate, and its documentation must
/// name its fields: `sluice steps` and the README are generated from the same source.
@Suite struct StepDocumentationTests {
    /// Datasets the examples use, defined up front so that `from:` references resolve.
    static let preamble = """
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
        as: ventes
      - csv: {}
        as: totaux
      - csv: {}
        as: changes
      - csv: {}
        as: commandes
      - csv: {}
        as: units

    """

    static let registrations = StepKinds.registry.registrations.map { ($0.kind, $0) }

    @Test(arguments: StepKinds.registry.registrations.map { "\($0.kind)/\($0.stages.sorted().first!.rawValue)" })
    func documentedExampleValidates(name: String) throws {
        let parts = name.split(separator: "/")
        let stage = try #require(StageName(rawValue: String(parts[1])))
        let registration = try #require(StepKinds.registry[String(parts[0]), stage])
        let example = registration.documentation.example.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        let yaml: String
        if stage == .extract {
            yaml = Self.preamble + example + "\n"
        } else {
            yaml = Self.preamble + "\(stage.rawValue):\n" + example + "\n"
        }
        let loaded = ManifestLoader(registry: StepKinds.registry).load(source: yaml, path: "pipelines/example.yaml")
        #expect(loaded.diagnostics.errors.isEmpty, "\(name): \(loaded.diagnostics.sorted.map(\.description))\n\(yaml)")
        #expect(!registration.documentation.summary.isEmpty)
    }

    @Test func kindsAreUniquePerStage() {
        for stage in StageName.allCases {
            let kinds = StepKinds.registry.kinds(in: stage)
            #expect(Set(kinds).count == kinds.count, "\(stage): \(kinds)")
        }
    }
}

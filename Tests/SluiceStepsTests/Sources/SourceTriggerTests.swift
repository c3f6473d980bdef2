import Foundation
import Testing
@testable import SluiceCore
import SluiceSteps

/// The mailbox as a source trigger: its documented example (an `imap` step) validates, and the
/// manifest's source steps are the trigger's configuration, polled at the step's interval.
@Suite struct SourceTriggerTests {
    let loader = ManifestLoader(registry: StepKinds.registry)

    @Test func theDocumentedExampleValidatesAndConfiguresTheSource() throws {
        let example = try #require(TriggerKinds.registry[SourceTrigger.key]).documentation.example
        let loaded = loader.load(source: "triggers: { manual: true }\n" + example + "\n", path: "pipelines/mail.yaml")
        #expect(loaded.diagnostics.errors.isEmpty, "\(loaded.diagnostics.sorted.map(\.description))")
        let m = try #require(loaded.manifest)
        let source = try #require(m[SourceTrigger.self])
        #expect(source.steps == [.init(id: "extract[0].imap", pollInterval: 300)])
        #expect(source.pollInterval == 300)
        #expect(m.triggers.watched.map(\.watcher.key) == ["source"])
    }

    @Test func aPipelineWithoutSourceStepsHasNoSource() throws {
        let m = try #require(loader.load(source: "extract:\n  - csv: {}\n", path: "pipelines/csv.yaml").manifest)
        #expect(m[SourceTrigger.self] == nil)
        #expect(m.triggers.watched.map(\.watcher.key) == ["inbox"])
    }
}

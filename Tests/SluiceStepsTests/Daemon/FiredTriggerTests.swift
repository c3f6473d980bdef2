import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// A trigger added as one file and one registration line is fired through the daemon's one
/// generic path (`Daemon.fire`), with no change to the daemon.
@Suite struct FiredTriggerTests {
    static let manifest = """
    triggers: { hook-probe: { require: order } }
    extract:
      - csv: {}
    load:
      - csv: { file: "out_{{run.params.order}}.csv" }
    """

    func daemon(_ h: PipelineHarness) -> Daemon {
        var runner = h.runner
        runner.triggers = HookProbeTrigger.registry
        let d = Daemon(runner: runner, settings: .standard, executor: InlineExecutor())
        d.reload()
        return d
    }

    @Test func aTestTriggerFiredWithParametersCreatesARunTheDaemonDrives() throws {
        let h = try PipelineHarness()
        try h.pipeline("hooked", Self.manifest)
        let d = daemon(h)
        #expect(d.pipelines["hooked"]?.triggers.keys == ["hook-probe", "manual"])
        let given = h.workspace.root + "/body.csv"
        try FileOperations.writeAtomically("x\n1\n", to: given)
        #expect { try d.fire("hook-probe", pipeline: "hooked", parameters: [:]) } throws: { "\($0)".contains("carries 'order'") }
        let outcome = try d.fire("hook-probe", pipeline: "hooked", parameters: ["order": "42"])
        #expect(outcome.runs.count == 1)
        d.tick()
        let run = try #require(try h.runs().first)
        #expect(run.trigger == "hook-probe" && run.triggeredBy == "hook-probe:hooked" && run.parameters["order"] == "42")
        #expect(run.status == .succeeded || run.status == .failed, "the daemon drove it")
    }

    @Test func aPipelineWithoutTheTriggerRefusesTheFiring() throws {
        let h = try PipelineHarness()
        try h.pipeline("plain", "triggers: { manual: true }\nextract:\n  - csv: {}\n")
        let d = daemon(h)
        #expect { try d.fire("hook-probe", pipeline: "plain", parameters: ["order": "1"]) } throws: { "\($0)".contains("no trigger 'hook-probe'") }
        #expect(try d.fire(ManualTrigger.key, pipeline: "plain", parameters: [:]).runs.first?.trigger == "manual")
    }

    @Test func theTestTriggersExampleValidatesThroughItsRegistry() throws {
        let loader = ManifestLoader(registry: StepKinds.registry, triggers: HookProbeTrigger.registry)
        let loaded = loader.load(source: HookProbeTrigger.documentation.example + "\nextract:\n  - csv: {}\n", path: "pipelines/t.yaml")
        #expect(loaded.diagnostics.errors.isEmpty, "\(loaded.diagnostics.sorted.map(\.description))")
        #expect(ManifestLoader(registry: StepKinds.registry).load(source: HookProbeTrigger.documentation.example + "\nextract:\n  - csv: {}\n", path: "pipelines/t.yaml")
            .diagnostics.errors.contains { $0.description.contains("unknown trigger 'hook-probe'") })
    }
}

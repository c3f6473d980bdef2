import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// `sluice template preview NAME --run RUN` renders with the values a run's notify steps saw.
@Suite struct TemplatePreviewTests {
    static let pipeline = """
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
        as: ventes
    transform:
      - validate:
          columns:
            Produit: { type: string, required: true }
          on-invalid: reject-row
        as: valides
    notify:
      - file: { name: "n.txt", text: "{{valides.rows}}" }
    """

    func render(_ values: TemplateValue) throws -> String {
        try Template(parsing: "{{run.id}}|{{input.name}}|{{valides.rows}}|{{valides.rejects.rows}}|{{#valides.items}}{{Produit}},{{/valides.items}}")
            .render(values)
    }

    @Test func aFinishedRunsValuesAreComputedAgainFromItsArchivedInputs() throws {
        let h = try PipelineHarness()
        try h.pipeline("p", Self.pipeline)
        try h.drop("p", "v.csv", "Produit,N\nCafé,1\n,2\nThé,3\n")
        let run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .succeeded)
        let values = try h.runner.notifyTemplateValues(run: run.id)
        let rendered = try render(values)
        #expect(rendered == "\(run.id)|v.csv|2|1|Café,Thé,", "\(rendered)")
        // Nothing was written again: the outbox holds what the run published, once.
        let outbox = try FileManager.default.contentsOfDirectory(atPath: h.workspace.outbox("p")).sorted()
        #expect(outbox == ["n.txt", "v_rejects.csv"], "\(outbox)")
    }

    @Test func anUnknownRunIsAnError() throws {
        let h = try PipelineHarness()
        #expect(throws: StepError.self) { try h.runner.notifyTemplateValues(run: "nope") }
    }
}

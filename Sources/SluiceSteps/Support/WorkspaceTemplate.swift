import Foundation
import SluiceCore

/// The workspace `sluice init` creates: folders, one commented example pipeline and a
/// sample input.
public enum WorkspaceTemplate {
    public static let exampleManifest = """
    # pipelines/example.yaml: the pipeline is named after this file.
    # Drop a CSV file with the columns Date, Produit, Montant into inbox/example/,
    # then run `sluice run`. Results appear in outbox/example/, inputs in archive/example/.
    description: Totals per product from a sales export

    triggers:
      inbox: { settle: 2s }        # a file is claimed once unchanged for 2 seconds
      manual: true                 # `sluice trigger example FILE` also works

    extract:
      - csv: {}                    # delimiter and encoding are detected
        as: ventes

    transform:
      - validate:                  # bad rows go to a rejects file in the outbox
          columns:
            Date:    { type: date, required: true }
            Produit: { type: string, required: true }
            Montant: { type: decimal, min: 0 }
          on-invalid: reject-row
      - aggregate: { by: [Produit], sum: [Montant], count: Lignes }
        as: totaux

    load:
      - csv: { file: "totaux_{{run.date}}.csv", delimiter: ";" }
        from: totaux

    notify:
      - file:
          name: "resume_{{run.date}}.txt"
          text: "{{ventes.rows}} lignes lues, {{validate.rejects.rows}} rejetées, total {{totaux.Montant.sum}}."

    """

    public static let exampleInput = """
    Date;Produit;Montant
    2026-11-20;Café;12.50
    2026-11-20;Thé;4.20
    2026-11-21;Café;7.00
    2026-11-21;;3.00

    """

    public static func create(in workspace: Workspace) throws {
        for dir in [workspace.pipelines, workspace.templates, workspace.inbox("example")] {
            try FileOperations.createDirectory(dir)
        }
        try FileOperations.writeAtomically(exampleManifest, to: workspace.pipelines + "/example.yaml")
        try FileOperations.writeAtomically(exampleInput, to: workspace.inbox("example") + "/ventes.csv")
        try FileOperations.writeAtomically("# Named accounts; values like ${env:NAME} come from the environment.\n", to: workspace.connectionsFile)
        try FileOperations.writeAtomically(".sluice/\ninbox/\noutbox/\narchive/\ndata/\n", to: workspace.root + "/.gitignore")
    }
}

import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Preview a message template of pipelines/templates/ with a run's data, or send it as a test e-mail.",
        subcommands: [Preview.self, SendTest.self])

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preview",
            abstract: "Render NAME.txt and/or NAME.html with the data a run's notify steps saw, and print them.",
            discussion: """
            A finished run's datasets are computed again from its archived inputs, as `sluice plan` would \
            (nothing is written or sent); a waiting run's come from its last checkpoint.
            """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template: pipelines/templates/NAME.txt and/or NAME.html.")
        var name: String

        @Option(name: .customLong("run"), help: "The run whose data fills the template (a unique prefix of its id is enough).")
        var runID: String

        func run() throws {
            let ws = options.workspace
            let ledger = try options.ledger()
            let record = try options.findRun(runID, in: ledger)
            let runner = Runner(workspace: ws, ledger: ledger, registry: StepKinds.registry, clock: clockFromEnvironment())
            let bodies = try TemplateFiles.loadBodies(name, workspace: ws)
            let (text, html) = try bodies.render(try runner.notifyTemplateValues(run: record.id), workspace: ws)
            for (file, body) in zip(bodies.files, [text, html].compactMap { $0 }) {
                print("── \(file) (run \(record.id))")
                print(body.hasSuffix("\n") ? String(body.dropLast()) : body)
            }
        }
    }

    struct SendTest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-test",
            abstract: "Send NAME as an e-mail, subject \"Test: NAME\", through an smtp connection of connections.yaml.",
            discussion: "Without --run, the template's names render empty. Every call sends; nothing is recorded.")

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template: pipelines/templates/NAME.txt and/or NAME.html.")
        var name: String

        @Option(name: .long, help: "The address to send to.")
        var to: String

        @Option(name: .long, help: "The smtp connection (default: the only one in connections.yaml).")
        var connection: String?

        @Option(name: .customLong("run"), help: "A run whose data fills the template.")
        var runID: String?

        func run() throws {
            let ws = options.workspace
            var values: TemplateValue = [:]
            if let runID {
                let ledger = try options.ledger()
                let record = try options.findRun(runID, in: ledger)
                values = try Runner(workspace: ws, ledger: ledger, registry: StepKinds.registry, clock: clockFromEnvironment())
                    .notifyTemplateValues(run: record.id)
            }
            let (connections, problems) = Connections.load(path: ws.connectionsFile, relativePath: "connections.yaml")
            for p in problems.errors { printDiagnostic(p.description) }
            let answer = try TemplateTestMail.send(template: name, to: to, connection: connection, values: values,
                                                   workspace: ws, connections: connections, now: clockFromEnvironment().now())
            print("sent \"Test: \(name)\" to \(to): \(answer)")
        }
    }
}

import Foundation
import Logging
import SluiceCore
import SluiceSteps
import SluiceTesting
import Synchronization
import Testing

@Suite struct EmailStepTests {
    // MARK: sluice validate

    static let head = "triggers: { inbox: { settle: 0s } }\nextract:\n  - csv: {}\n    as: commande\nnotify:\n"

    func errors(_ step: String) throws -> [String] {
        try PipelineHarness().loadErrors(Self.head + step.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n")
    }

    @Test(arguments: [
        ("- email: { to: a@example.com, text: hi }", "give 'subject'"),
        ("- email: { subject: x, text: hi }", "give 'to'"),
        ("- email: { to: a@example.com, subject: x }", "give 'template' (a file in pipelines/templates/), or 'text' and/or 'html'"),
        ("- email: { to: a@example.com, subject: x, template: t, text: hi }", "give 'template', or 'text' and/or 'html', not both"),
        ("- email: { to: a@example.com, subject: x, template: ../t }", "is not a template name"),
        ("- email: { to: 'not an@address here', subject: x, text: hi }", "is not an e-mail address"),
        ("- email: { to: a@example.com, subject: '{{run.dat}}', text: hi }", "'run' has no 'dat'; did you mean 'date'?"),
        ("- email: { to: '{{comande.items.0.email}}', subject: x, text: hi }", "unknown name 'comande'; did you mean 'commande'?"),
        ("- email: { in-reply-to: comande, text: hi }", "unknown dataset 'comande'; did you mean 'commande'?"),
        ("- email: { to: a@example.com, subject: x, text: hi, priority: urgent }", "urgent"),
        ("- email: { to: a@example.com, subject: x, text: hi, atach: outputs }", "did you mean 'attach'?"),
    ])
    func configurationErrorsAreReportedByValidate(_ step: String, _ expected: String) throws {
        let found = try errors(step)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func aReplyNeedsNeitherToNorSubject() throws {
        #expect(try errors("- email: { in-reply-to: commande, template: reponse, attach: rejects }\n  when: commande.rows > 0") == [])
    }

    // MARK: Running the step directly

    /// A workspace with connections.yaml and templates, and a context for the step.
    struct Setup {
        let harness: PipelineHarness
        let effects = RecordingEffects()
        var datasets: [String: Dataset] = [:]
        var values: TemplateValue = ["run": ["date": "2026-11-21", "pipeline": "orders"]]
        var outputs: [AttachedFile] = []
        var dryRun = true

        init(connections: String = Setup.connections) throws {
            harness = try PipelineHarness()
            try FileOperations.writeAtomically(connections, to: harness.workspace.connectionsFile)
            try FileOperations.createDirectory(harness.workspace.templates)
        }

        static let connections = """
        mail-out:
          type: smtp
          host: 127.0.0.1
          port: 9
          tls: none
          allow-plain: true
          from: "Sluice <robot@shop.example>"
        direction:
          type: recipients
          addresses: [marie@example.com, "Paul Martin <paul@example.com>"]

        """

        func step(_ yaml: String) throws -> any Step {
            let manifest = ManifestLoader(registry: StepKinds.registry)
                .load(source: EmailStepTests.head + "  " + yaml + "\n", path: "pipelines/t.yaml").manifest
            return try #require(manifest?.stages.last?.steps.first?.step)
        }

        func context() throws -> StepContext {
            let (connections, _) = Connections.load(path: harness.workspace.connectionsFile, relativePath: "connections.yaml")
            let output = harness.workspace.root + "/out"
            try FileOperations.createDirectory(output)
            let values = self.values
            var c = StepContext(
                run: RunInfo(id: "r1", pipeline: "orders", date: LocalDate(iso: "2026-11-21")!, time: LocalDateTime(iso: "2026-11-21T08:00:00")!,
                             trigger: "inbox", effectScope: "r1"),
                stepID: "notify[0].email", outputName: "email", stage: .notify, input: Dataset(), inputName: nil, datasets: datasets,
                inputFiles: [], workspace: harness.workspace, outputDirectory: output, effects: effects,
                state: StagedStateStore(ledger: harness.ledger, pipeline: "orders"), connections: connections,
                templateValues: { _ in values }, dryRun: dryRun, logger: Logger(label: "test"))
            c.outputs = outputs
            effects.live.withLock { $0 = !dryRun }
            c.now = Date(timeIntervalSince1970: 1_795_248_000)
            return c
        }

        func preview() throws -> String {
            try String(contentsOfFile: harness.workspace.root + "/out/notify-0-email.eml", encoding: .utf8)
        }
    }

    static let message = Dataset(
        columns: ["message_id", "references", "subject", "from_address", "from_name", "reply_to"].map { Column($0, .string) },
        rows: [[.string("<order-42@client.example>"), .string("first@client.example <second@client.example>"), .string("Commande 42"),
                .string("anne@client.example"), .string("Anne Client"), .null]])

    @Test func planningComposesThePreviewAndListsOneDeliveryPerRecipient() throws {
        var setup = try Setup()
        let rejects = setup.harness.workspace.root + "/commande_rejects.csv"
        try FileOperations.writeAtomically("a,error\n1,bad\n", to: rejects)
        setup.outputs = [AttachedFile(name: "commande_rejects.csv", path: rejects)]
        let step = try setup.step("""
        - email: { to: [direction, "{{run.pipeline}}@example.com"], cc: compta@example.com, bcc: [archives@example.com, MARIE@example.com], \
        subject: "Rapport {{run.date}} – été", text: "Bonjour", attach: rejects, priority: low }
        """)
        let output = try step.run(try setup.context())
        #expect(output.outputs.map(\.name) == ["notify-0-email.eml"])
        #expect(output.summary["planned"] == .integer(5))
        #expect(setup.effects.performed.map(\.item) == ["marie@example.com", "paul@example.com", "orders@example.com", "compta@example.com", "archives@example.com"])
        let eml = try setup.preview()
        #expect(eml.contains("To: marie@example.com, Paul Martin <paul@example.com>, orders@example.com\r\n"))
        #expect(eml.contains("Cc: compta@example.com\r\n"))
        #expect(!eml.lowercased().contains("bcc") && !eml.contains("archives@"))
        #expect(eml.contains("From: Sluice <robot@shop.example>\r\n"))
        #expect(eml.contains("Message-ID: <sluice-marie@example.com@shop.example>\r\n"))
        #expect(eml.contains("X-Priority: 5 (Lowest)\r\nImportance: low\r\n"))
        #expect(eml.contains("filename=\"commande_rejects.csv\""))
    }

    @Test func aReplyGoesToTheSenderInTheSameThread() throws {
        var setup = try Setup()
        setup.datasets = ["commande": Self.message]
        let step = try setup.step("- email: { in-reply-to: commande, cc: direction, text: 'Merci' }")
        _ = try step.run(try setup.context())
        let eml = try setup.preview()
        #expect(eml.contains("To: Anne Client <anne@client.example>\r\n"))
        #expect(eml.contains("Subject: Re: Commande 42\r\n"))
        #expect(eml.contains("In-Reply-To: <order-42@client.example>\r\n"))
        #expect(eml.contains("References: <first@client.example> <second@client.example>\r\n <order-42@client.example>\r\n")
                || eml.contains("References: <first@client.example> <second@client.example> <order-42@client.example>\r\n"))
        #expect(eml.contains("Auto-Submitted: auto-replied\r\n"))
        #expect(setup.effects.performed.map(\.item) == ["anne@client.example", "marie@example.com", "paul@example.com"])
    }

    @Test func aReplyToAddressWins() throws {
        var setup = try Setup()
        var message = Self.message
        message.rows[0][5] = .string("Service <orders@client.example>")
        message.rows[0][2] = .string("RE: Commande 42")
        setup.datasets = ["commande": message]
        _ = try setup.step("- email: { in-reply-to: commande, text: ok }").run(try setup.context())
        let eml = try setup.preview()
        #expect(eml.contains("To: Service <orders@client.example>\r\n") && eml.contains("Subject: RE: Commande 42\r\n"))
    }

    @Test func aLineBreakFromTheDataIsRefusedInTheSubjectAndInAddresses() throws {
        var setup = try Setup()
        setup.values = ["commande": ["items": [["subject": "Hello\r\nBcc: victim@example.com", "email": "x@example.com\nBcc: y@example.com"]]]]
        let subject = try #require(throws: StepError.self) {
            try setup.step("- email: { to: a@example.com, subject: '{{commande.items.0.subject}}', text: hi }").run(try setup.context())
        }
        #expect(subject.message.contains("Subject") && subject.message.contains("line break") && !subject.transient)
        let to = try #require(throws: StepError.self) {
            try setup.step("- email: { to: '{{commande.items.0.email}}', subject: s, text: hi }").run(try setup.context())
        }
        #expect(to.message.contains("line break") && to.message.contains("'to'"))
        #expect(setup.effects.performed.isEmpty)
    }

    @Test func templatesComeFromTheTemplatesFolderWithHTMLEscaped() throws {
        var setup = try Setup()
        setup.values = ["run": ["date": "2026-11-21"], "client": "<Anne & Co>"]
        try FileOperations.writeAtomically("Bonjour {{client}}\n{{> pied}}", to: setup.harness.workspace.templates + "/rapport.txt")
        try FileOperations.writeAtomically("<p>Bonjour {{client}}</p>{{> pied}}", to: setup.harness.workspace.templates + "/rapport.html")
        try FileOperations.writeAtomically("-- Sluice", to: setup.harness.workspace.templates + "/pied.txt")
        try FileOperations.writeAtomically("<footer>Sluice</footer>", to: setup.harness.workspace.templates + "/pied.html")
        _ = try setup.step("- email: { to: a@example.com, subject: s, template: rapport }").run(try setup.context())
        let eml = try setup.preview()
        #expect(eml.contains("multipart/alternative"))
        #expect(eml.contains("Bonjour <Anne & Co>\r\n-- Sluice\r\n"))
        #expect(eml.contains("<p>Bonjour &lt;Anne &amp; Co&gt;</p><footer>Sluice</footer>"))
    }

    @Test(arguments: [
        ("- email: { connection: mail-ot, to: a@example.com, subject: s, text: t }", "no connection 'mail-ot' in connections.yaml; did you mean 'mail-out'?"),
        ("- email: { connection: direction, to: a@example.com, subject: s, text: t }", "is of type 'recipients', not smtp"),
        ("- email: { to: drection, subject: s, text: t }", "no connection 'drection' in connections.yaml; did you mean 'direction'?"),
        ("- email: { to: mail-out, subject: s, text: t }", "connection 'mail-out' is of type smtp, not recipients"),
        ("- email: { to: a@example.com, subject: s, text: t, attach: [rejects] }", "attach: 'rejects' matches none of the run's files"),
        ("- email: { to: a@example.com, subject: s, template: absent }", "no template 'absent' in pipelines/templates/"),
        ("- email: { to: '{{run.params.email}}', subject: s, text: t }", "the e-mail has no recipient"),
    ])
    func problemsFoundWhenRunningNameWhatToFix(_ step: String, _ expected: String) throws {
        let setup = try Setup()
        let error = try #require(throws: StepError.self) { try setup.step(step).run(try setup.context()) }
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(!error.transient)
    }

    @Test(arguments: [
        ("mail-out: { type: smtp, host: mail.example.com, tls: none, allow-plain: true }", "only allowed to a loopback address", false),
        ("mail-out: { type: smtp, host: 127.0.0.1, tls: none }", "needs allow-plain: true", false),
        ("mail-out: { type: smtp, host: 127.0.0.1, port: 9, tls: none, allow-plain: true }", "cannot connect to the SMTP server 127.0.0.1:9", true),
        ("mail-out: { type: smtp, host: mail.example.com, tsl: starttls }", "unknown key 'tsl'; did you mean 'tls'?", false),
        ("mail-out: { type: smtp, host: mail.example.com, tls: sometimes }", "tls 'sometimes' is not one of implicit, starttls, none", false),
        ("mail-out: { type: smtp, host: mail.example.com, username: robot, password: '' }", "has a username but an empty password", false),
        ("mail-out: { type: smtp, host: mail.example.com, from: 'nobody' }", "from 'nobody' is not an e-mail address", false),
    ])
    func connectionsAreCheckedWhenSending(_ connection: String, _ expected: String, _ transient: Bool) throws {
        var setup = try Setup(connections: connection + "\n")
        setup.dryRun = false
        let error = try #require(throws: StepError.self) {
            try setup.step("- email: { from: robot@example.com, to: a@example.com, subject: s, text: t }").run(try setup.context())
        }
        #expect(error.description.contains(expected), "\(error.description)")
        #expect(error.transient == transient)
    }

    @Test func withoutAConnectionNameTheOnlySMTPConnectionIsUsedElseOneMustBeNamed() throws {
        let two = Setup.connections + "other: { type: smtp, host: 127.0.0.1, tls: none, allow-plain: true }\n"
        let setup = try Setup(connections: two)
        let error = try #require(throws: StepError.self) {
            try setup.step("- email: { to: a@example.com, subject: s, text: t }").run(try setup.context())
        }
        #expect(error.message.contains("2 smtp connections (mail-out, other); name one with 'connection'"))
        let one = try Setup()
        #expect(throws: Never.self) { try one.step("- email: { to: a@example.com, subject: s, text: t }").run(try one.context()) }
    }
}

/// Effects recorded in memory; unless `live`, nothing is done, as in a dry run.
final class RecordingEffects: EffectRecorder {
    struct Performed: Sendable { var item: String; var description: String }
    private let list = Mutex<[Performed]>([])
    let live = Mutex(false)
    var performed: [Performed] { list.withLock { $0 } }

    func key(step: String, item: String) -> String { "sluice-" + item }

    func perform(step: String, item: String, description: String, targetDeduplicates: Bool,
                 _ body: (String) throws -> String?) throws -> EffectOutcome {
        list.withLock { $0.append(Performed(item: item, description: description)) }
        guard live.withLock({ $0 }) else { return .planned }
        return .done(detail: try body(key(step: step, item: item)))
    }
}

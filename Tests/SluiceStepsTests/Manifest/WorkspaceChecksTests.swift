import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// What `sluice validate` catches before the first file fails, with the real step kinds and
/// a workspace: template files, connections, environment variables, `when:` columns,
/// template filters, and YAML mistakes, each located with a suggestion.
@Suite struct WorkspaceChecksTests {
    static let connectionsYAML = """
    team-hook: { type: webhook, url: "http://127.0.0.1:9/x?k=${env:HOOK_KEY}" }
    mail-out: { type: smtp, host: 127.0.0.1, port: 465, tls: implicit, username: a@example.com, password: "${env:SMTP_PW}", from: "a@example.com" }
    direction: { type: recipients, addresses: [marie@example.com] }
    """

    static let manifest = """
    locale: fr-CH
    extract:
      - csv: {}
        as: ventes
    transform:
      - validate:
          columns:
            Montant: { type: decimal }
        as: valides
    notify:
      - file: { name: a.txt, template: rapor }
      - webhook: { connection: team-hok }
      - email: { to: [direktion], subject: "Total", template: rapport }
        when: valides.Montnt.sum > 0
      - webhook: { url: "http://127.0.0.1:9/y", headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" } }
      - file: { name: b.txt, text: "Total {{valides.Montant.sum | chf}}" }
    """

    /// A workspace with `pipelines/templates/rapport.txt` and connections.yaml, loaded as `sluice validate` does.
    func load(_ yaml: String = manifest, template: String = "Total: {{valides.Montant.sum | money: CHF}}\n{{ventes.rows | numbr}}\n",
              environment: [String: String] = [:], severity: Diagnostic.Severity = .warning) throws -> (ManifestLoader.Loaded, Diagnostics) {
        let root = try TemporaryFolder.make("checks")
        let ws = Workspace(root: root)
        try FileOperations.createDirectory(ws.templates)
        try FileOperations.writeAtomically(template, to: ws.templates + "/rapport.txt")
        try FileOperations.writeAtomically(Self.connectionsYAML, to: ws.connectionsFile)
        defer { FileOperations.removeTree(root) }
        let (connections, problems) = Connections.load(path: ws.connectionsFile, relativePath: "connections.yaml", environment: environment)
        let loader = ManifestLoader(registry: StepKinds.registry, workspace: ManifestWorkspace(
            templatesDirectory: ws.templates, connections: connections, environment: environment, unsetVariables: severity))
        return (loader.load(source: yaml, path: "pipelines/t.yaml"), problems)
    }

    @Test func everyReferenceIsCheckedAndLocated() throws {
        let (loaded, _) = try load()
        let all = loaded.diagnostics.sorted
        let messages = all.map(\.description)
        func has(_ prefix: String, path: String? = nil) {
            let found = all.first { $0.description.hasPrefix(prefix) }
            #expect(found != nil, "\(prefix) not in \(messages)")
            if let path { #expect(found?.path == path, "\(found?.path ?? "nil")") }
        }
        has("pipelines/t.yaml:11:26: error: no template 'rapor' in pipelines/templates/; did you mean 'rapport'? (looked for rapor, rapor.txt, rapor.mustache, rapor.html; create pipelines/templates/rapor.txt)",
            path: "notify[0].file.template")
        has("pipelines/t.yaml:12:16: error: no connection 'team-hok' in connections.yaml; did you mean 'team-hook'? (webhook connections: team-hook)",
            path: "notify[1].webhook.connection")
        has("pipelines/t.yaml:13:19: error: no connection 'direktion' in connections.yaml; did you mean 'direction'?", path: "notify[2].email.to.0")
        has("pipelines/t.yaml:16:63: error: in template 'Total {{valides.Montant.sum | chf}}': unknown filter 'chf' (filters: number, money, percent, date, datetime, time)",
            path: "notify[4].file.text")
        has("pipelines/t.yaml:14:11: error: in 'when' expression 'valides.Montnt.sum > 0': unknown variable 'valides.Montnt.sum'; did you mean 'valides.Montant.sum'?",
            path: "notify[2].email.when")
        // The template file is parsed where it is: the problem is located in it.
        has("pipelines/templates/rapport.txt:2:17: error: in template pipelines/templates/rapport.txt: unknown filter 'numbr'; did you mean 'number'?",
            path: "notify[2].email.template")
        // An unset variable is a warning at validate: secrets may be absent where it runs.
        has("pipelines/t.yaml:15:71: warning: environment variable 'HOOK_TOKEN' is not set (notify[3].webhook.headers.Authorization)",
            path: "notify[3].webhook.headers.Authorization")
        #expect(loaded.manifest == nil)
    }

    @Test func connectionsWarnOfTheirUnsetVariablesAtValidate() throws {
        let (_, problems) = try load()
        let messages = problems.sorted.map(\.description)
        #expect(messages == [
            "connections.yaml:1:34: warning: environment variable 'HOOK_KEY' is not set (connection 'team-hook', key 'url'); export HOOK_KEY=... where sluice run or sluice serve runs, or a pipeline using 'team-hook' will not start",
            "connections.yaml:2:103: warning: environment variable 'SMTP_PW' is not set (connection 'mail-out', key 'password'); export SMTP_PW=... where sluice run or sluice serve runs, or a pipeline using 'mail-out' will not start",
        ], "\(messages)")
        #expect(!problems.hasErrors)
    }

    static let good = """
    extract:
      - csv: {}
    notify:
      - webhook: { connection: team-hook, headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" } }
      - email: { to: [direction], subject: "{{run.date | date: full}}", template: rapport }
    """

    @Test func atRunStartAnUnsetVariableRefusesThePipelineAtTheStepThatNeedsIt() throws {
        let (atValidate, _) = try load(Self.good, template: "ok")
        #expect(atValidate.manifest != nil && !atValidate.diagnostics.hasErrors, "\(atValidate.diagnostics.sorted)")
        let (atRun, _) = try load(Self.good, template: "ok", severity: .error)
        #expect(atRun.manifest == nil)
        let messages = atRun.diagnostics.sorted.map(\.description)
        #expect(messages == [
            "pipelines/t.yaml:4:16: error: environment variable 'HOOK_KEY' is not set: connection 'team-hook' needs it for 'url' (connections.yaml:1:34); export it before sluice run or sluice serve; the pipeline does not start until it is set",
            "pipelines/t.yaml:4:65: error: environment variable 'HOOK_TOKEN' is not set (notify[0].webhook.headers.Authorization); export it before sluice run or sluice serve; the pipeline does not start until it is set",
            "pipelines/t.yaml:5:12: error: environment variable 'SMTP_PW' is not set: connection 'mail-out' needs it for 'password' (connections.yaml:2:103); export it before sluice run or sluice serve; the pipeline does not start until it is set",
        ], "\(messages)")
        let (set, _) = try load(Self.good, template: "ok", environment: ["HOOK_KEY": "k", "HOOK_TOKEN": "t", "SMTP_PW": "p"], severity: .error)
        #expect(set.manifest != nil, "\(set.diagnostics.sorted)")
    }

    @Test func aDefaultConnectionMustBeTheOnlyOneOfItsType() throws {
        let yaml = "extract:\n  - imap: { connection: mail-out }\nnotify:\n  - email: { to: [a@example.com], subject: x, text: y, connection: direction }\n"
        let messages = try load(yaml).0.diagnostics.sorted.map(\.description)
        #expect(messages.contains { $0.hasPrefix("pipelines/t.yaml:2:13: error: connection 'mail-out' is of type smtp, not imap (connections.yaml has no imap connection)") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("pipelines/t.yaml:4:56: error: connection 'direction' is of type recipients, not smtp (smtp connections: mail-out)") }, "\(messages)")
    }

    @Test func aTemplateFileIncludesOnlyPartialsThatExistAndFormatsWithFilters() throws {
        let yaml = "extract:\n  - csv: {}\nnotify:\n  - file: { name: a.txt, template: rapport }\n"
        let messages = try load(yaml, template: "Bonjour\n{{> signatur}}\n{{#money}}{{total}}{{/money}}\n").0.diagnostics.sorted.map(\.description)
        #expect(messages == [
            "pipelines/templates/rapport.txt:2:1: error: in template pipelines/templates/rapport.txt: no partial 'signatur' in pipelines/templates/ (used by notify[0].file.template); create pipelines/templates/signatur.txt",
            "pipelines/templates/rapport.txt:3:4: error: in template: 'money' is a filter, not a section: write {{value | money: CHF}} (pipelines/templates/rapport.txt, used by notify[0].file.template)",
        ], "\(messages)")
    }

    @Test func aTemplateNamingAColumnTheDatasetLacksIsAnError() throws {
        let yaml = """
        extract:
          - csv: { columns: [Produit, Montant] }
            as: ventes
        notify:
          - file: { name: a.txt, text: "{{ventes.Montnt.sum | money: CHF}} {{ventes.rows}} {{ventes.Montant.avg}}" }
        """
        let messages = try load(yaml, template: "").0.diagnostics.sorted.map(\.description)
        #expect(messages.count == 1 && messages[0].contains("dataset 'ventes' has no column 'Montnt'; did you mean 'Montant'?"), "\(messages)")
    }

    @Test func aBadLocaleIsLocated() throws {
        let messages = try load("locale: fr-XX\nextract:\n  - csv: {}\n", template: "").0.diagnostics.sorted.map(\.description)
        #expect(messages.count == 1 && messages[0].hasPrefix("pipelines/t.yaml:1:9: error: unknown locale 'fr-XX'"), "\(messages)")
    }

    @Test(arguments: [
        ("extract:\n  - csv: {}\n    as: a\n    as: b\n", "pipelines/t.yaml:4:5: error: duplicate key 'as': it is already at line 3, column 5"),
        ("description: a\nextract:\n  - csv: {}\ndescription: b\n", "pipelines/t.yaml:4:1: error: duplicate key 'description': it is already at line 1, column 1"),
        ("extract:\n  - csv: { delimiter: ';', delimiter: ',' }\n", "pipelines/t.yaml:2:28: error: duplicate key 'delimiter': it is already at line 2, column 12"),
        ("extract:\n  - csv: {}\n\t  as: a\n", "pipelines/t.yaml:3:1: error: a tab in the indentation at line 3; YAML indents with spaces"),
        ("extract:\n  - csv:\n  \t  delimiter: ';'\n", "pipelines/t.yaml:3:3: error: a tab in the indentation at line 3; YAML indents with spaces"),
    ])
    func yamlMistakesAreReportedWhereTheyAre(yaml: String, expected: String) throws {
        let messages = try load(yaml, template: "").0.diagnostics.sorted.map(\.description)
        #expect(messages.count == 1 && messages[0].hasPrefix(expected), "\(messages)")
    }
}

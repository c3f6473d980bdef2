import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing
import Yams

/// `sluice validate` warns, at the value's place, when a secret field holds a literal instead of
/// `${env:NAME}`: in a step (the kind's spec marks the field) and in connections.yaml.
@Suite struct LiteralSecretTests {
    static let manifest = """
    extract:
      - csv: {}
    notify:
      - webhook: { url: "https://hooks.example.com/x?token=abc123", headers: { Authorization: "Bearer abc123", X-Trace: "yes" } }
      - webhook: { url: "https://hooks.example.com/x?token=${env:HOOK_TOKEN}", headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" } }
    """

    func load(warns: Bool) -> ManifestLoader.Loaded {
        let loader = ManifestLoader(registry: StepKinds.registry, workspace: ManifestWorkspace(
            templatesDirectory: "/nonexistent", connections: Connections(), environment: ["HOOK_TOKEN": "t"], unsetVariables: .warning,
            warnsOfLiteralSecrets: warns))
        return loader.load(source: Self.manifest, path: "pipelines/t.yaml")
    }

    @Test func aLiteralSecretInAStepIsALocatedWarningAtValidate() {
        let loaded = load(warns: true)
        let warnings = loaded.diagnostics.sorted.filter { $0.severity == .warning }
        #expect(warnings.map(\.path) == ["notify[0].webhook.url", "notify[0].webhook.headers.Authorization"])
        #expect(warnings.map(\.description) == [
            "pipelines/t.yaml:4:21: warning: 'url' holds a secret written as it is in step 'webhook'; write ${env:NAME} and export NAME where sluice runs, so that the secret stays out of the manifest",
            "pipelines/t.yaml:4:91: warning: 'headers.Authorization' holds a secret written as it is in step 'webhook'; write ${env:NAME} and export NAME where sluice runs, so that the secret stays out of the manifest",
        ])
        #expect(loaded.manifest != nil)
    }

    @Test func aRunDoesNotRepeatTheWarning() {
        #expect(load(warns: false).diagnostics.items.filter { $0.severity == .warning }.isEmpty)
    }

    @Test func literalSecretsInConnectionsAreWarnedOfAtTheirPlace() throws {
        let root = try TemporaryFolder.make("secrets")
        defer { FileOperations.removeTree(root) }
        let yaml = """
        mail-out: { type: smtp, host: h, username: a@example.com, password: hunter2, from: a@example.com }
        mail-env: { type: smtp, host: h, username: a@example.com, password: "${env:SMTP_PW}", from: a@example.com }
        hook: { type: webhook, url: "https://u:pw@hooks.example.com/x", headers: { Authorization: "Bearer abc", Accept: "text/plain" } }
        db: { type: sqlite, path: data/shop.sqlite }
        """
        try FileOperations.writeAtomically(yaml, to: root + "/connections.yaml")
        let (connections, problems) = Connections.load(path: root + "/connections.yaml", relativePath: "connections.yaml", environment: ["SMTP_PW": "x"])
        #expect(problems.items.isEmpty)
        let warnings = connections.literalSecretWarnings().sorted
        #expect(warnings.map(\.path) == ["mail-out.password", "hook.url", "hook.headers.Authorization"])
        #expect(warnings.first?.description == "connections.yaml:1:69: warning: 'password' of connection 'mail-out' holds a secret written as it is; write ${env:NAME} and export NAME where sluice runs, so that the secret stays out of connections.yaml")
    }

    @Test(arguments: [
        (SecretField.value, "hunter2", true), (.value, "${env:PW}", false), (.value, "", false),
        (.urlCredentials, "https://hooks.example.com/x", false), (.urlCredentials, "https://u:pw@h/x", true),
        (.urlCredentials, "https://h/x?api_key=k", true), (.urlCredentials, "https://h/x?page=2", false),
        (.urlCredentials, "https://h/x?token=${env:T}", false),
    ])
    func whatIsALiteralSecret(_ field: SecretField, _ value: String, _ literal: Bool) throws {
        #expect(!field.literals(in: Node(value)).isEmpty == literal, "\(value)")
    }

    @Test func credentialHeaderNames() {
        for name in ["Authorization", "Proxy-Authorization", "X-Api-Key", "Cookie", "X-Auth-Token", "apikey"] {
            #expect(SecretField.isCredentialName(name), "\(name)")
        }
        for name in ["Accept", "Content-Type", "X-Trace", "Idempotency-Key", "Keyboard"] {
            #expect(!SecretField.isCredentialName(name), "\(name)")
        }
    }
}

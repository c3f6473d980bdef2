import SluiceCore
import SluiceSteps
import Testing
import Yams

/// A kind's documented fields are exactly the keys its `Configuration` accepts: `sluice steps`,
/// docs/steps.md and `validate` (unknown keys, secrets) read the same spec, and this test holds
/// the spec to the decoder. The configuration is decoded from the kind's documented example,
/// then from the example with each documented key added (a placeholder value: a key is asked
/// for before its value is read); every key it asks for must be documented, and every documented
/// key must be asked for.
@Suite struct StepFieldSpecTests {
    static let kinds = StepKinds.registry.registrations.map { "\($0.kind)/\($0.stages.sorted().first!.rawValue)" }

    static func registration(_ name: String) throws -> StepRegistration {
        let parts = name.split(separator: "/")
        let stage = try #require(StageName(rawValue: String(parts[1])))
        return try #require(StepKinds.registry[String(parts[0]), stage])
    }

    /// The node under the kind's key in its documented example.
    static func exampleConfiguration(_ r: StepRegistration) throws -> Node {
        let root = try #require(try Yams.compose(yaml: r.documentation.example))
        guard case let .sequence(steps) = root, case let .mapping(step) = try #require(steps.first),
              let value = step.first(where: { $0.key.string == r.kind })?.value else {
            Issue.record("the example of '\(r.kind)' is not a list of one step")
            return .mapping(Node.Mapping([]))
        }
        return value
    }

    static func adding(_ key: String, to node: Node) -> Node {
        guard case var .mapping(m) = node, m.first(where: { $0.key.string == key }) == nil else { return node }
        m[Node(key)] = Node("placeholder")
        return .mapping(m)
    }

    @Test(arguments: kinds) func documentedFieldsAreTheAcceptedKeys(_ name: String) throws {
        let r = try Self.registration(name)
        let keysAsked = try #require(r.keysAsked, "\(name) is registered without its keys")
        let decoder = ManifestDecoder(file: "example.yaml")
        let example = try Self.exampleConfiguration(r)
        let first = keysAsked(decoder, example)
        #expect(first.failure == nil, "\(name): the documented example does not decode: \(first.failure ?? "")")
        let keyFields = r.documentation.fields.filter(\.isKey)
        guard case .mapping = example, !first.free else {
            // A list, a scalar or a mapping of free names (`filter`, `select`, `rename`): its
            // placeholder fields say what it is.
            #expect(keyFields.isEmpty || r.documentation.fields.contains { !$0.isKey } || !first.free,
                    "\(name): a configuration of free names documents them as <name>")
            return
        }
        let documented = Set(keyFields.map(\.name))
        var asked = first.asked
        for field in keyFields {
            let keys = keysAsked(decoder, Self.adding(field.name, to: example))
            asked.formUnion(keys.asked)
            #expect(keys.asked.contains(field.name), "\(name): '\(field.name)' is documented but the configuration does not accept it")
        }
        let undocumented = asked.subtracting(documented).sorted()
        #expect(undocumented.isEmpty, "\(name): the configuration accepts \(undocumented) but the documentation does not list them")
        #expect(Set(keyFields.map(\.name)).count == keyFields.count, "\(name): a field is documented twice")
    }

    /// A field's example, put in the kind's documented example, still validates.
    @Test(arguments: kinds) func fieldExamplesValidate(_ name: String) throws {
        let r = try Self.registration(name)
        let stage = r.stages.sorted().first!
        for field in r.documentation.fields where field.isKey {
            guard let value = field.example else { continue }
            var example = try Self.exampleConfiguration(r)
            guard case var .mapping(m) = example else { continue }
            m[Node(field.name)] = try #require(try Yams.compose(yaml: "\(field.name): \(value)")?.mapping?.first?.value)
            example = .mapping(m)
            var step = Node.Mapping([])
            step[Node(r.kind)] = example
            let stepYAML = try Yams.serialize(node: .sequence(Node.Sequence([.mapping(step)])))
            let body = stepYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            let yaml = StepDocumentationTests.preamble + (stage == .extract ? "" : "\(stage.rawValue):\n") + body + "\n"
            let loaded = ManifestLoader(registry: StepKinds.registry).load(source: yaml, path: "pipelines/example.yaml")
            #expect(loaded.diagnostics.errors.isEmpty, "\(name).\(field.name) = \(value): \(loaded.diagnostics.sorted.map(\.description))\n\(yaml)")
        }
    }

    @Test func secretFieldsAreMarked() throws {
        let webhook = try #require(StepKinds.registry["webhook", .notify]).documentation
        #expect(webhook.fields.first { $0.name == "headers" }?.secret == .credentialHeaders)
        #expect(webhook.fields.first { $0.name == "url" }?.secret == .urlCredentials)
    }
}

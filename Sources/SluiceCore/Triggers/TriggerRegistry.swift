import Yams

/// Every trigger the manifests may name, by key.
public struct TriggerRegistry: Sendable {
    public let registrations: [TriggerRegistration]

    public init(_ registrations: [TriggerRegistration]) { self.registrations = registrations }

    public subscript(key: String) -> TriggerRegistration? { registrations.first { $0.key == key } }

    /// Every key `triggers:` may hold, in the registrations' order (companions after their trigger).
    public var keys: [String] { registrations.flatMap(\.keys) }

    /// Reads `triggers:` (nil: the manifest has none). Every problem is reported, located;
    /// a trigger in error is left out.
    public func read(_ node: Node?, decoder: ManifestDecoder, diagnostics: inout Diagnostics) -> Triggers {
        var triggers = Triggers()
        guard let node else {
            for r in registrations { triggers.set(r.defaultConfiguration(false), of: r) }
            return triggers
        }
        for r in registrations { triggers.set(r.defaultConfiguration(true), of: r) }
        guard case let .mapping(m) = node else {
            diagnostics.error("'triggers' must be a mapping, e.g. 'triggers: { inbox: { settle: 2s } }'", at: location(node.mark, file: decoder.file))
            return triggers
        }
        let known = keys
        for (key, _) in m where !known.contains(key.string ?? "") {
            let k = key.string ?? ""
            diagnostics.error("unknown trigger '\(k)'\(Suggestion.didYouMean(k, among: known)); known triggers: \(known.joined(separator: ", "))",
                              at: location(key.mark, file: decoder.file))
        }
        for r in registrations {
            var companions: [String: Node] = [:]
            for c in r.companionKeys { companions[c] = m[c] }
            guard let main = m[r.key] else {
                for c in r.companionKeys {
                    guard let n = m[c] else { continue }
                    let article = "aeiou".contains(r.key.first ?? "x") ? "an" : "a"
                    diagnostics.error("'\(c)' applies to \(article) \(r.key), and this pipeline has none", at: location(n.mark, file: decoder.file))
                }
                continue
            }
            triggers.set(r.read(TriggerInput(node: main, companions: companions, decoder: decoder), &diagnostics), of: r)
        }
        return triggers
    }

    /// Adds the sources a pipeline's built stages hold (the mailbox of an `imap` step).
    public func addSources(of stages: [Stage], to triggers: inout Triggers) {
        for r in registrations where !r.writtenUnderTriggers {
            if let configuration = r.fromStages(stages) { triggers.set(configuration, of: r) }
        }
    }
}

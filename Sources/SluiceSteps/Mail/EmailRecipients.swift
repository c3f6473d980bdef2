import Foundation
import SluiceCore
import SluiceFormats

/// The entries of `to`, `cc`, `bcc` and `reply-to`. Each is one of:
/// - addresses: `marie@example.com`, `"Marie Dupont <marie@example.com>"`, several separated by commas;
/// - a template that renders to addresses: `"{{commande.items.0.email}}"`;
/// - the name of a `recipients` connection in connections.yaml, which lists addresses:
///
/// ```yaml
/// direction:
///   type: recipients
///   addresses: [marie@example.com, "Paul Martin <paul@example.com>"]
/// ```
enum EmailRecipients {
    enum Kind { case addresses, template, connection }

    static func kind(_ entry: TemplateSource) -> Kind {
        let text = entry.template.source
        if text.contains("{{") { return .template }
        if text.contains("@") { return .addresses }
        return .connection
    }

    /// What `sluice validate` can tell: templates name known values, written addresses are addresses.
    static func check(_ entries: [TemplateSource]?, key: String, context: inout StepCheckContext) {
        for (i, entry) in (entries ?? []).enumerated() {
            switch kind(entry) {
            case .template:
                context.check(entry)
            case .addresses:
                if let bad = MailAddress.parseList(entry.template.source).first(where: { !$0.isDeliverable }) {
                    context.error("'\(bad.address)' is not an e-mail address", at: [key, String(i)])
                } else if let bad = MailAddress.itemsWithoutAddress(entry.template.source).first {
                    context.error("'\(bad)' is not an e-mail address", at: [key, String(i)])
                }
            case .connection:
                if entry.template.source.isEmpty || entry.template.source.contains(where: \.isWhitespace) {
                    context.error("'\(entry.template.source)' is neither an address nor the name of a recipients connection", at: [key, String(i)])
                } else {
                    context.requireConnection(entry.template.source, type: "recipients", at: [key, String(i)])
                }
            }
        }
    }

    /// The addresses the entries stand for, in order, each once. Templates that render to
    /// nothing give nothing; anything else that is not an address is an error naming the key.
    static func resolve(_ entries: [TemplateSource]?, key: String, context: StepContext) throws -> [MailAddress] {
        var result: [MailAddress] = []
        for entry in entries ?? [] {
            let text: [String]
            switch kind(entry) {
            case .addresses:
                text = [entry.template.source]
            case .template:
                text = [try context.render(entry)]
            case .connection:
                text = try connectionAddresses(entry.template.source, key: key, connections: context.connections)
            }
            for written in text {
                if written.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
                    throw StepError(.badInput, "'\(key)' from '\(entry.template.source)' holds a line break or a NUL character, which is refused in a header (it could add headers of its own)",
                                    hint: "clean the value the template takes, or pick another field")
                }
                if written.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let addresses = MailAddress.parseList(written)
                if addresses.isEmpty {
                    throw StepError(.badInput, "'\(key)': '\(written)' (from '\(entry.template.source)') is not an e-mail address")
                }
                if let bad = MailAddress.itemsWithoutAddress(written).first {
                    throw StepError(.badInput, "'\(key)': '\(bad)' (from '\(entry.template.source)') is not an e-mail address")
                }
                if let bad = addresses.first(where: { !$0.isDeliverable }) {
                    throw StepError(.badInput, "'\(key)': '\(bad.address)' (from '\(entry.template.source)') is not an e-mail address")
                }
                for a in addresses where !result.contains(where: { $0.address.lowercased() == a.address.lowercased() }) { result.append(a) }
            }
        }
        return result
    }

    /// The addresses a `recipients` connection lists.
    static func connectionAddresses(_ name: String, key: String, connections: Connections) throws -> [String] {
        guard let c = connections[name] else {
            let lists = connections.all.values.filter { $0.type == "recipients" }.map(\.name).sorted()
            throw StepError(.configuration, "'\(key)': '\(name)' is not an address, and there is no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: connections.all.keys))",
                            hint: lists.isEmpty ? "write an address, or add a connection with type: recipients and addresses: [...]" : "recipients connections: \(lists.joined(separator: ", "))")
        }
        guard c.type == "recipients" else {
            throw StepError(.configuration, "'\(key)': connection '\(name)' is of type \(c.type), not recipients", hint: "a recipients connection lists addresses: [a@example.com, ...]")
        }
        let addresses = c.lists["addresses"] ?? c.setting("addresses").map { [$0] } ?? []
        guard !addresses.isEmpty else {
            throw StepError(.configuration, "connection '\(name)' in connections.yaml lists no addresses", hint: "write addresses: [a@example.com, ...]")
        }
        return addresses
    }
}

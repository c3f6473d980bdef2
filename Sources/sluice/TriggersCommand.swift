import ArgumentParser
import SluiceCore

struct TriggersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggers", abstract: "Documentation of every trigger (what starts a run), generated from the code.")

    @Argument(help: "One trigger (default: all).")
    var key: String?

    @Flag(name: .long, help: "Markdown, as in docs/triggers.md.")
    var markdown = false

    func run() throws {
        let registry = TriggerKinds.registry
        if let key {
            guard let found = registry[key] ?? registry.registrations.first(where: { $0.companionKeys.contains(key) }) else {
                let keys = registry.registrations.map(\.key)
                throw CommandFailure("unknown trigger '\(key)'\(Suggestion.didYouMean(key, among: keys)); known: \(keys.joined(separator: ", "))")
            }
            print(TriggerReference.text(found, markdown: markdown), terminator: "")
            return
        }
        for (n, r) in registry.registrations.enumerated() {
            if n > 0 { print("") }
            print(TriggerReference.text(r, markdown: markdown), terminator: "")
        }
    }
}

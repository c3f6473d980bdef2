import Yams

/// One name or a list of names, as `after:` and `event:` take them (`ventes`, `[order.paid, order.refunded]`).
public struct PipelineNames: Decodable, Sendable, Hashable {
    public var names: [String]

    public init(_ names: [String]) { self.names = names }

    public init(from decoder: any Decoder) throws {
        let at = (decoder as? any LocatedDecoder)?.location
        var items: [String] = []
        if let one = try? decoder.singleValueContainer().decode(String.self) {
            items = [one]
        } else if var list = try? decoder.unkeyedContainer() {
            while !list.isAtEnd { items.append(try list.decode(String.self)) }
        }
        let valid = items.filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." } }
        guard !items.isEmpty, valid.count == items.count else {
            throw ManifestDecodingError("one name or a list of names", at: at)
        }
        names = items
    }

    /// Reads the names under `input`'s key, each bad one reported where it is (`what` says
    /// what the names are, for the message).
    static func read(_ input: TriggerInput, what: String, diagnostics: inout Diagnostics) -> PipelineNames? {
        let items: [Node]
        switch input.node {
        case .scalar: items = [input.node]
        case let .sequence(list): items = Array(list)
        default: items = []
        }
        var result: [String] = []
        for item in items {
            guard let text = item.string, !text.isEmpty,
                  text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                diagnostics.error("\(what): one name or a list of names", at: input.location(of: item))
                continue
            }
            result.append(text)
        }
        if items.isEmpty { diagnostics.error("\(what): one name or a list of names", at: input.location) }
        return result.isEmpty ? nil : PipelineNames(result)
    }
}

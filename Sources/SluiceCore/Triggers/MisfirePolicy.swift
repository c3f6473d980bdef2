import Yams

/// Schedule slots missed while the daemon was not running: none, one catch-up run, or every
/// missed slot up to a cap. Part of the schedule trigger's configuration, written `misfire:`
/// beside `schedule:`.
public enum MisfirePolicy: Sendable, Hashable, CustomStringConvertible {
    case skip, once
    case all(cap: Int)

    public var description: String {
        switch self {
        case .skip: "skip"
        case .once: "once"
        case let .all(cap): "all (at most \(cap))"
        }
    }

    /// `misfire: skip | once | all`, or `misfire: { policy: all, cap: 24 }`; errors located.
    static func read(_ node: Node, file: String, diagnostics: inout Diagnostics) -> MisfirePolicy {
        var policy = node.string
        var cap: Int?
        if case let .mapping(m) = node {
            policy = m["policy"]?.string
            if let c = m["cap"] {
                if let n = c.int, n >= 1 { cap = n } else {
                    diagnostics.error("'cap' is how many missed runs to catch up at most: a number of 1 or more", at: location(c.mark, file: file))
                }
            }
            for (key, _) in m where !["policy", "cap"].contains(key.string ?? "") {
                diagnostics.error("unknown key '\(key.string ?? "")' in 'misfire'; known keys: policy, cap", at: location(key.mark, file: file))
            }
        }
        switch policy {
        case "skip": return .skip
        case "once": return .once
        case "all": return .all(cap: cap ?? 100)
        default:
            diagnostics.error("'misfire' is skip, once (the default: one catch-up run) or all (every missed run, at most 'cap')",
                              at: location(node.mark, file: file))
            return .once
        }
    }
}

import Foundation
import Yams

extension DaemonSettings {
    /// `retention: { runs: 90d }`: how long finished runs are kept. `sluice serve` prunes once
    /// a day by it, and `sluice prune` without `--older-than` uses it.
    static func readRetention(_ node: Node?, _ diagnostics: inout Diagnostics, at: (Node?) -> SourceLocation) -> DurationValue? {
        guard let node, !isNull(node) else { return nil }
        guard case let .mapping(m) = node else {
            diagnostics.error("'retention' is a mapping, e.g. { runs: 90d }", at: at(node))
            return nil
        }
        for (k, _) in m where k.string != "runs" {
            diagnostics.error("unknown key '\(k.string ?? "")' in 'retention'; it has runs (e.g. runs: 90d)", at: at(k))
        }
        guard let runs = m["runs"] else { return nil }
        guard let d = runs.string.flatMap(DurationValue.init(parsing:)), d.milliseconds >= 86_400_000 else {
            diagnostics.error("'runs' is a duration of at least a day, such as 90d", at: at(runs))
            return nil
        }
        return d
    }
}

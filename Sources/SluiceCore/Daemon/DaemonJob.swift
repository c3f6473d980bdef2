import Foundation

/// What the daemon starts on its run executor: a file to claim, a run to drive (resumed, woken,
/// scheduled, started by another pipeline or an event), or a look at a pipeline's sources (a
/// mailbox).
public enum DaemonJob: Sendable {
    case claim(InboxScanner.Candidate, Manifest)
    case drive(RunRecord)
    case collect(Manifest)

    public var pipeline: String {
        switch self {
        case let .claim(_, m), let .collect(m): m.name
        case let .drive(r): r.pipeline
        }
    }
}

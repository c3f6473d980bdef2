/// How a trigger's arrivals reach the daemon.
public enum TriggerDelivery: Sendable, Equatable {
    /// The daemon looks for them (`WatchedTrigger`): when woken (a watched folder changed) or
    /// at a due time: an inbox, a schedule, a pipeline's sources (`SourceTrigger`).
    case watched
    /// Something outside hands them over, with parameters: `sluice trigger` (a `FiredTrigger`,
    /// through `Daemon.fire`), another pipeline's success, `sluice emit`, and (next) the HTTP
    /// server firing a webhook.
    case fired
}

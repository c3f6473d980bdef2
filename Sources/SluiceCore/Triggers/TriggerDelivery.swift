/// How a trigger's arrivals reach the daemon.
public enum TriggerDelivery: Sendable, Equatable {
    /// The daemon looks for them: when woken (a watched folder changed) or at a due time (an
    /// inbox, a schedule; a pipeline's source steps, such as `imap`, are looked at the same way
    /// every poll interval, see `InputSource`).
    case watched
    /// Something outside hands them over, with parameters: `sluice trigger`, another pipeline's
    /// success, `sluice emit`, and (next) the HTTP server firing a webhook.
    case fired
}

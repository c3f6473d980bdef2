import Foundation

/// A watched trigger, type-erased for the daemon: its watch is `any Sendable`.
public struct TriggerWatcher: Sendable {
    public let key: String
    public let startsFromLastRun: Bool
    let watch: @Sendable (any Sendable, Manifest, Date?, TriggerLook) -> (any Sendable)?
    let keep: @Sendable (inout any Sendable, any Sendable, Manifest, TriggerLook) -> Bool
    let due: @Sendable (any Sendable, inout any Sendable, Manifest, TriggerLook) -> [TriggerWork]
    let nextLook: @Sendable (any Sendable) -> Date?

    init<T: WatchedTrigger>(_ trigger: T.Type) {
        key = T.key
        startsFromLastRun = T.startsFromLastRun
        watch = { configuration, manifest, last, look in
            guard let c = configuration as? T.Configuration else { return nil }
            return T.watch(c, of: manifest, lastRun: last, look: look)
        }
        keep = { watch, configuration, manifest, look in
            guard let c = configuration as? T.Configuration, var w = watch as? T.Watch else { return false }
            defer { watch = w }
            return T.keep(&w, for: c, of: manifest, look: look)
        }
        due = { configuration, watch, manifest, look in
            guard let c = configuration as? T.Configuration, var w = watch as? T.Watch else { return [] }
            defer { watch = w }
            return T.due(c, watch: &w, of: manifest, look: look)
        }
        nextLook = { ($0 as? T.Watch).flatMap(T.nextLook) }
    }
}

/// A fired trigger, type-erased.
public struct TriggerFirer: Sendable {
    let start: @Sendable (any Sendable, TriggerFiring) throws -> TriggerStart?

    init<T: FiredTrigger>(_ trigger: T.Type) {
        start = { configuration, firing in
            guard let c = configuration as? T.Configuration else { return nil }
            return try T.start(c, firing: firing)
        }
    }
}

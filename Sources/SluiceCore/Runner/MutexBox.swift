import Synchronization

/// A `Mutex` that can be stored in a `final class` property and shared.
final class MutexBox<T: Sendable>: Sendable {
    private let mutex: Mutex<T>
    init(_ value: T) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout T) -> R) -> R { mutex.withLock { body(&$0) } }
}

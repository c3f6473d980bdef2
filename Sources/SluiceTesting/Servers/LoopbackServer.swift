import Foundation

/// The part every fake server shares: a listening socket on 127.0.0.1 and a thread that
/// accepts one connection at a time, hands it to the server's conversation and closes it.
/// A fake server's thread holds the server, so it lives (and answers) until the test process
/// ends, however early the test drops its last reference.
public final class LoopbackServer: Sendable {
    public let port: UInt16
    private let listener: Int32

    public init() throws {
        (listener, port) = try LoopbackListener.open()
    }

    /// Starts accepting; `converse` speaks over each connection until it returns.
    public func start(_ converse: @escaping @Sendable (Int32) -> Void) {
        let listener = self.listener
        Thread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                converse(connection)
                close(connection)
            }
        }.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

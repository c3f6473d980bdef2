import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SluiceCore
import Synchronization

/// The HTTP API of `sluice serve`: one more Service in the daemon's group, added last so it
/// stops first (no request starts a run once the daemon shuts down). It reads the ledger and
/// acts only through the daemon's `DaemonControl`; it never runs a step.
public struct APIServer: Service {
    public let configuration: APIServerConfiguration
    public let backend: APIBackend
    public let limiter: AuthFailureLimiter
    /// Told the address once the server listens (`sluice serve: API on http://127.0.0.1:8425`).
    let announce: @Sendable (String) -> Void
    let logger: Logger
    private let stopping = ShutdownFlag()

    public init(configuration: APIServerConfiguration, backend: APIBackend, limiter: AuthFailureLimiter? = nil,
                logger: Logger = Logger(label: "sluice.api"), announce: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.backend = backend
        self.limiter = limiter ?? AuthFailureLimiter(clock: backend.clock)
        self.logger = logger
        self.announce = announce
    }

    /// The routes, behind the authentication middleware.
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: APIAuthMiddleware(check: APITokenCheck(store: backend.tokens), limiter: limiter, calls: backend.calls,
                                                 maximumBodySize: APIServerConfiguration.maximumBodySize))
        let stopping = self.stopping
        StatusRoutes(backend: backend, stopping: { stopping.isSet }).add(to: router)
        PipelineRoutes(backend: backend).add(to: router)
        TriggerRoutes(backend: backend, maximumBodySize: APIServerConfiguration.maximumBodySize).add(to: router)
        RunRoutes(backend: backend).add(to: router)
        return router
    }

    /// An application of the routes, for the server and for tests.
    public func application() -> some ApplicationProtocol {
        let host = configuration.host
        let announce = self.announce
        return Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                announce("sluice serve: API on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
            },
            logger: logger)
    }

    /// Serves until the group shuts down. When the address cannot be bound (another process
    /// has the port), it says so and the daemon goes on without its API: schedules and inboxes
    /// matter more than the port.
    public func run() async throws {
        let stopping = self.stopping
        do {
            try await withGracefulShutdownHandler {
                try await application().run()
            } onGracefulShutdown: {
                stopping.set()
            }
        } catch {
            guard !stopping.isSet else { return }
            logger.error("the HTTP API stopped: \(error)")
            announce("sluice serve: the HTTP API cannot listen on \(configuration.host):\(configuration.port) (\(error)); running without it (--listen picks another address, --no-http leaves it out)")
            try? await gracefulShutdown()
        }
    }
}

/// Set once, when shutdown begins.
final class ShutdownFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

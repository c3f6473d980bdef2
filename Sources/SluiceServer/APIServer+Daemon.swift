import Logging
import SluiceCore

extension APIServer {
    /// The API of the daemon in this process: it reads `ledger` (its own connection to the
    /// workspace's ledger) and acts through the daemon's `DaemonControl`.
    public static func serving(_ daemon: Daemon, ledger: any Ledger & RunSearch & APITokenStore & TriggerKeyStore,
                               configuration: APIServerConfiguration, announce: @escaping @Sendable (String) -> Void) -> APIServer {
        let backend = APIBackend(workspace: daemon.runner.workspace, ledger: ledger, control: daemon,
                                 catalog: DaemonPipelineCatalog(daemon: daemon), clock: daemon.runner.clock)
        return APIServer(configuration: configuration, backend: backend, logger: Logger(label: "sluice.api"), announce: announce)
    }
}

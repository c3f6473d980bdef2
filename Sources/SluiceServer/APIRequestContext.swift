import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluiceCore

/// The context of one API request: Hummingbird's, the client's address (for the rate limit of
/// failed authentications) and, once the request is authenticated, the token's record.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address; `local` when there is none (a test client, a Unix socket).
    public let clientAddress: String
    /// The token that authenticated the request; nil on a public route.
    public var token: APITokenRecord?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// Bodies are decoded only up to this size (JSON run parameters are small); larger ones are
    /// refused before they are read (`APIAuthMiddleware`).
    public var maxUploadSize: Int { APIServerConfiguration.maximumBodySize }
}

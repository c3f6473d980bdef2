/// Where the API listens (`sluice serve --listen HOST:PORT`) and what it accepts.
public struct APIServerConfiguration: Sendable, Hashable {
    /// 8425: free of the usual development ports (8000, 8080, 8443, 8888) and of registered
    /// services that a back-office machine may run; easy to say ("84-25").
    public static let defaultPort = 8425
    /// Only this machine by default: put a reverse proxy in front for TLS and other machines.
    public static let defaultHost = "127.0.0.1"
    /// Request bodies are at most 1 MiB (run parameters are small).
    public static let maximumBodySize = 1 << 20

    public var host: String
    /// 0 picks a free port (tests); the port bound is printed when the server starts.
    public var port: Int

    public init(host: String = defaultHost, port: Int = defaultPort) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, `[IPv6]:PORT`, `HOST` (the default port) or `:PORT` (the default host).
    public init?(listen text: String) {
        var host = Self.defaultHost
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            if colon != text.startIndex { host = String(text[..<colon]) }
            portText = text[text.index(after: colon)...]
        } else if !text.isEmpty {
            host = text
        }
        var port = Self.defaultPort
        if let portText {
            guard let p = Int(portText), (0...65535).contains(p) else { return nil }
            port = p
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.init(host: host, port: port)
    }
}

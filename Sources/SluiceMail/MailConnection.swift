import CCurl
import Foundation
import SluiceCurl

/// One logged-in connection to a mail server, set up by libcurl and then spoken over by us.
///
/// libcurl connects, does TLS (implicit or STARTTLS, verifying the certificate), reads the
/// greeting and logs in (PLAIN, LOGIN or XOAUTH2, whatever the server offers and the account
/// allows); `CURLOPT_CONNECT_ONLY` makes it stop there. Commands then go through
/// `curl_easy_send` and answers come back through `curl_easy_recv`, so we keep control of
/// what is fetched (`BODY.PEEK[]`, never a fetch that marks the message seen) while libcurl
/// keeps the parts that are easy to get wrong: certificates, STARTTLS and SASL.
///
/// Not thread-safe: a connection belongs to the thread that opened it, and its blocking calls
/// never run on the Swift cooperative pool.
final class MailConnection {
    private let handle: UnsafeMutableRawPointer
    private let socket: curl_socket_t
    private let timeout: TimeInterval
    private var buffer: [UInt8] = []
    private var start = 0
    let server: String

    init(account: MailAccount, scheme: String) throws(MailTransportError) {
        _ = LibCurl.ready
        try account.checkTransport()
        guard let handle = curl_easy_init() else { throw MailTransportError("cannot create a libcurl handle", transient: true) }
        self.handle = handle
        self.timeout = account.timeout
        self.server = "\(account.host):\(account.port)"
        _ = sluice_curl_set_string(handle, CURLOPT_URL, account.url(scheme: scheme))
        _ = sluice_curl_set_long(handle, CURLOPT_CONNECT_ONLY, 1)
        _ = sluice_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sluice_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(account.timeout, 30) * 1000))
        _ = sluice_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(account.timeout * 1000))
        if account.tls == .starttls { _ = sluice_curl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let ca = account.caFile { _ = sluice_curl_set_string(handle, CURLOPT_CAINFO, ca) }
        if let user = account.username { _ = sluice_curl_set_string(handle, CURLOPT_USERNAME, user) }
        if let token = account.bearerToken {
            _ = sluice_curl_set_string(handle, CURLOPT_XOAUTH2_BEARER, token)
            _ = sluice_curl_set_string(handle, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
        } else if let password = account.password {
            _ = sluice_curl_set_string(handle, CURLOPT_PASSWORD, password)
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            curl_easy_cleanup(handle)
            throw Self.connectError(code, account: account)
        }
        var s: curl_socket_t = -1
        _ = sluice_curl_get_active_socket(handle, &s)
        self.socket = s
    }

    deinit { curl_easy_cleanup(handle) }

    static func connectError(_ code: CURLcode, account: MailAccount) -> MailTransportError {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_LOGIN_DENIED:
            return MailTransportError("\(account.host):\(account.port) refused the login of \(account.username ?? "?")", transient: false)
        case CURLE_USE_SSL_FAILED:
            return MailTransportError("\(account.host):\(account.port) does not offer STARTTLS; credentials were not sent", transient: false)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return MailTransportError("the certificate of \(account.host):\(account.port) is not trusted (\(text)); "
                                      + "set ca-file to the authority that signed it", transient: false)
        default:
            return MailTransportError("cannot connect to \(account.host):\(account.port): \(text)", transient: true)
        }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(MailTransportError) {
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { raw in
                curl_easy_send(handle, raw.baseAddress! + offset, raw.count - offset, &sent)
            }
            if code == CURLE_AGAIN { try wait(forReading: false); continue }
            guard code == CURLE_OK else { throw lost(code) }
            offset += sent
        }
    }

    /// The next line, without its CRLF (or LF).
    func readLine() throws(MailTransportError) -> [UInt8] {
        var scanned = start
        while true {
            if scanned < buffer.count, let lf = buffer[scanned...].firstIndex(of: 10) {
                var end = lf
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = Array(buffer[start..<end])
                start = lf + 1
                return line
            }
            let pending = buffer.count - start
            try fill()
            scanned = start + pending
        }
    }

    /// Passes exactly `count` bytes to `body`, in chunks as they arrive.
    func read(count: Int, into body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var remaining = count
        while remaining > 0 {
            if start == buffer.count { try fill() }
            let n = min(remaining, buffer.count - start)
            try buffer[start..<(start + n)].withUnsafeBytes { try body($0) }
            start += n
            remaining -= n
        }
    }

    /// Reads more bytes from the server, waiting up to the timeout.
    private func fill() throws(MailTransportError) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65536 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            var received = 0
            let code = chunk.withUnsafeMutableBytes { curl_easy_recv(handle, $0.baseAddress, $0.count, &received) }
            if code == CURLE_AGAIN { try wait(forReading: true); continue }
            guard code == CURLE_OK else { throw lost(code) }
            guard received > 0 else { throw MailTransportError("\(server) closed the connection", transient: true) }
            buffer.append(contentsOf: chunk[0..<received])
            return
        }
    }

    private func wait(forReading: Bool) throws(MailTransportError) {
        var p = pollfd(fd: socket, events: Int16(forReading ? POLLIN : POLLOUT), revents: 0)
        let ready = poll(&p, 1, Int32(timeout * 1000))
        if ready == 0 { throw MailTransportError("\(server) did not answer within \(Int(timeout)) s", transient: true) }
        if ready < 0 && errno != EINTR { throw MailTransportError("waiting for \(server) failed: errno \(errno)", transient: true) }
    }

    private func lost(_ code: CURLcode) -> MailTransportError {
        MailTransportError("the connection to \(server) was lost: \(String(cString: curl_easy_strerror(code)))", transient: true)
    }
}

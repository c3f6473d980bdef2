import CCurl
import Foundation
import SluiceCurl

/// Sends one composed message over SMTP with libcurl, to one or more envelope recipients.
///
/// Blocking: the libcurl handle is made, used and freed inside `send`, on the calling
/// thread, which must not be a thread of the Swift cooperative pool (the runner's steps
/// run on their own threads).
///
/// The message file must have CRLF line ends (`MIMEComposer` writes them): libcurl doubles
/// a `.` at the start of a line only after CRLF, and ends the data with `.` CRLF.
public enum SMTPClient {
    /// Sends the message in `messageFile`. Returns the server's answer to the end of the
    /// data (`250 2.0.0 Ok: queued as …`); throws `MailTransportError`, transient for 4xx
    /// replies and lost connections, permanent for 5xx replies, TLS and login problems,
    /// with the server's reply when it gave one.
    @discardableResult
    public static func send(_ request: SMTPRequest, messageFile: String) throws -> SMTPReply {
        _ = LibCurl.ready
        let fd = open(messageFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MailTransportError("cannot read the message \(messageFile): \(String(cString: strerror(errno)))", transient: false) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MailTransportError("cannot read the message \(messageFile)", transient: false) }
        guard let handle = curl_easy_init() else { throw MailTransportError("cannot create a libcurl handle", transient: true) }
        defer { curl_easy_cleanup(handle) }

        let session = SMTPSession(fd: fd, size: Int64(info.st_size))
        let unmanaged = Unmanaged.passRetained(session)
        defer { unmanaged.release() }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for r in request.recipients { recipients = curl_slist_append(recipients, r) }
        defer { curl_slist_free_all(recipients) }

        let account = request.account
        _ = sluice_curl_set_string(handle, CURLOPT_URL, request.url)
        _ = sluice_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        _ = sluice_curl_set_string(handle, CURLOPT_MAIL_FROM, request.mailFrom)
        _ = sluice_curl_set_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        if request.requireTLS { _ = sluice_curl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let ca = account.caFile { _ = sluice_curl_set_string(handle, CURLOPT_CAINFO, ca) }
        if let user = account.username { _ = sluice_curl_set_string(handle, CURLOPT_USERNAME, user) }
        if let password = account.password { _ = sluice_curl_set_string(handle, CURLOPT_PASSWORD, password) }
        if let options = request.loginOptions { _ = sluice_curl_set_string(handle, CURLOPT_LOGIN_OPTIONS, options) }
        _ = sluice_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sluice_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(account.timeout, 30) * 1000))
        _ = sluice_curl_set_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, Int(account.timeout)))
        _ = sluice_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = sluice_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(account.timeout)))
        _ = sluice_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        _ = sluice_curl_set_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(info.st_size))
        _ = sluice_curl_set_pointer(handle, CURLOPT_READDATA, unmanaged.toOpaque())
        _ = sluice_curl_set_read_function(handle) { buffer, size, count, context in
            guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
            return Unmanaged<SMTPSession>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
        }
        // The debug callback is how libcurl shows the server's replies; it runs only in verbose mode.
        _ = sluice_curl_set_long(handle, CURLOPT_VERBOSE, 1)
        _ = sluice_curl_set_pointer(handle, CURLOPT_DEBUGDATA, unmanaged.toOpaque())
        _ = sluice_curl_set_debug_function(handle) { _, type, data, size, context in
            guard let data, let context else { return 0 }
            let session = Unmanaged<SMTPSession>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size)
            if type == CURLINFO_HEADER_IN { session.received += bytes }
            if type == CURLINFO_HEADER_OUT { session.sent(Array(bytes)) }
            return 0
        }

        let code = curl_easy_perform(handle)
        let transcript = SMTPTranscript(replies: SMTPReply.parse(String(decoding: session.received, as: UTF8.self)),
                                        lastCommand: session.lastCommand, uploadedWholeMessage: session.uploaded >= session.size)
        if let failure = session.failure { throw failure }
        guard code == CURLE_OK else {
            throw transcript.failure(curlCode: Int(code.rawValue), curlMessage: String(cString: curl_easy_strerror(code)), account: account)
        }
        return transcript.decisiveReply ?? SMTPReply(code: 250, lines: ["accepted"])
    }
}

/// The state of one transaction inside libcurl's callbacks: the message file being read,
/// and what the server answered. Used on the sending thread only.
final class SMTPSession {
    let fd: Int32
    let size: Int64
    var uploaded: Int64 = 0
    var received: [UInt8] = []
    var lastCommand: String?
    var failure: MailTransportError?

    init(fd: Int32, size: Int64) {
        self.fd = fd
        self.size = size
    }

    /// The next bytes of the message for libcurl.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        while true {
            let n = Foundation.read(fd, buffer, capacity)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                failure = MailTransportError("cannot read the message being sent: \(String(cString: strerror(errno)))", transient: false)
                return Int(CURL_READFUNC_ABORT)
            }
            uploaded += Int64(n)
            return n
        }
    }

    /// Remembers the command sent, for error messages: its verb (and the address for MAIL
    /// and RCPT), never what follows AUTH's mechanism, nor the lines of an AUTH exchange.
    func sent(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = line.split(separator: " ", maxSplits: 2)
        guard let verb = words.first?.uppercased() else { return }
        switch verb {
        case "MAIL", "RCPT": lastCommand = line
        case "AUTH": lastCommand = words.prefix(2).joined(separator: " ")
        case "EHLO", "HELO", "STARTTLS", "DATA", "RSET", "NOOP": lastCommand = verb
        default: break
        }
    }
}

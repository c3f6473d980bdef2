import CCurl

/// libcurl's process-wide set-up, done once before the first handle (HTTP, IMAP or SMTP).
public enum LibCurl {
    public static let ready: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()
}

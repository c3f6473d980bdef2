import Foundation

/// What SELECT (or EXAMINE) tells about a mailbox.
public struct IMAPMailboxStatus: Sendable, Hashable {
    public var uidValidity: UInt32
    public var uidNext: UInt32?
    public var exists: Int
}

/// A logged-in IMAP session (RFC 3501/9051) on one thread: select a mailbox, search it by
/// UID, fetch messages without marking them seen, then flag or move them.
///
/// Every command uses UIDs, never sequence numbers, so another client expunging messages
/// meanwhile cannot make us act on the wrong message.
public final class IMAPSession {
    private let connection: MailConnection
    private var tagNumber = 0
    public private(set) var capabilities: Set<String> = []
    public private(set) var selected: String?
    /// Set when an answer was cut short: the stream is out of step, so no more commands.
    private var broken = false

    /// Connects and logs in.
    public init(account: MailAccount) throws(MailTransportError) {
        connection = try MailConnection(account: account, scheme: "imap")
        let response = try execute("CAPABILITY")
        for line in response.untagged where line.hasPrefix("CAPABILITY ") {
            capabilities.formUnion(line.dropFirst(11).split(separator: " ").map { $0.uppercased() })
        }
    }

    /// Opens a mailbox; `readOnly` uses EXAMINE, which changes no flag.
    public func select(_ mailbox: String, readOnly: Bool = false) throws(MailTransportError) -> IMAPMailboxStatus {
        let response = try execute("\(readOnly ? "EXAMINE" : "SELECT") \(try IMAPMailboxName.quoted(mailbox))")
        var status = IMAPMailboxStatus(uidValidity: 0, uidNext: nil, exists: 0)
        for line in response.untagged {
            if let v = Self.code("UIDVALIDITY", in: line) { status.uidValidity = v }
            if let v = Self.code("UIDNEXT", in: line) { status.uidNext = v }
            if line.hasSuffix(" EXISTS"), let n = Int(line.dropLast(7)) { status.exists = n }
        }
        guard status.uidValidity != 0 else {
            throw MailTransportError("the server gave no UIDVALIDITY for \(mailbox)", transient: false)
        }
        selected = mailbox
        return status
    }

    /// UIDs of the selected mailbox's messages matching `criteria` (`UNSEEN`, `UID 41:*`,
    /// `SINCE 1-Nov-2026`), ascending.
    public func search(_ criteria: String) throws(MailTransportError) -> [UInt32] {
        let response = try execute("UID SEARCH \(criteria)")
        var uids: [UInt32] = []
        for line in response.untagged where line == "SEARCH" || line.hasPrefix("SEARCH ") {
            uids += line.split(separator: " ").dropFirst().compactMap { UInt32($0) }
        }
        return uids.sorted()
    }

    /// Streams several messages' full text (`BODY.PEEK[]`: their \\Seen flags are left alone)
    /// in one request. `open(n)` says where the n-th message the server sends goes. Returns
    /// the UIDs in the order the messages came; UIDs expunged meanwhile are simply absent.
    public func fetchMessages(uids: [UInt32], open: (Int) throws -> (UnsafeRawBufferPointer) throws -> Void) throws -> [UInt32] {
        guard !uids.isEmpty else { return [] }
        var count = 0
        // A server may answer NO after sending the messages it could (one it cannot read): those
        // are kept, the others are asked for again at the next look.
        let response = try withoutActuallyEscaping(open) { open in
            try execute("UID FETCH \(uids.map(String.init).joined(separator: ",")) (UID BODY.PEEK[])", acceptingNo: true) { line, size in
                // `* 12 FETCH (UID 31 BODY[] {4242}`: the literal is the message.
                guard line.hasSuffix("BODY[] {\(size)}") || line.hasSuffix("BODY[] {\(size)+}") else { return false }
                let sink = try open(count)
                count += 1
                try self.connection.read(count: size, into: sink)
                return true
            }
        }
        // The UID may come before or after the literal; the n-th FETCH with a body is the n-th message.
        let fetched = response.untagged.filter { $0.contains(" FETCH (") && $0.contains("BODY[]") }.compactMap { line -> UInt32? in
            guard let r = line.range(of: "UID ") else { return nil }
            return UInt32(line[r.upperBound...].prefix { $0.isNumber })
        }
        guard fetched.count == count else {
            throw MailTransportError("\(connection.server) sent \(count) messages but \(fetched.count) UIDs", transient: true)
        }
        return fetched
    }

    /// Adds flags (`\Seen`, `\Flagged`) to messages.
    public func addFlags(_ flags: [String], uids: [UInt32]) throws(MailTransportError) {
        guard !uids.isEmpty else { return }
        _ = try execute("UID STORE \(uids.map(String.init).joined(separator: ",")) +FLAGS.SILENT (\(flags.joined(separator: " ")))")
    }

    public func addFlags(_ flags: [String], uid: UInt32) throws(MailTransportError) { try addFlags(flags, uids: [uid]) }

    /// Moves one message to `mailbox`, creating the mailbox when it does not exist. Uses MOVE
    /// (RFC 6851) when offered, else COPY, \Deleted and UID EXPUNGE (RFC 4315), which removes
    /// only this message.
    public func move(uid: UInt32, to mailbox: String) throws(MailTransportError) {
        try create(mailbox)
        let name = try IMAPMailboxName.quoted(mailbox)
        if capabilities.contains("MOVE") {
            _ = try execute("UID MOVE \(uid) \(name)")
            return
        }
        _ = try execute("UID COPY \(uid) \(name)")
        _ = try execute("UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
        if capabilities.contains("UIDPLUS") { _ = try execute("UID EXPUNGE \(uid)") }
    }

    /// Creates a mailbox; one that exists already is fine.
    public func create(_ mailbox: String) throws(MailTransportError) {
        do { _ = try execute("CREATE \(try IMAPMailboxName.quoted(mailbox))") } catch let e where e.serverReply?.contains("ALREADYEXISTS") == true
            || e.serverReply?.lowercased().contains("exists") == true {
        }
    }

    /// Says goodbye; errors are ignored, the connection closes anyway.
    public func logout() {
        guard !broken else { return }
        _ = try? execute("LOGOUT")
    }

    // MARK: - Commands and responses

    struct Response {
        /// Untagged lines without their `* `, literals replaced by their text when small.
        var untagged: [String] = []
        var completion: String = ""
    }

    /// Sends one tagged command and reads up to its completion. `literal` is offered each
    /// literal (with the line that announced it); when it returns false the literal is read
    /// into the line as text (capped at 1 MiB).
    @discardableResult
    func execute(_ command: String, acceptingNo: Bool = false, literal: ((String, Int) throws -> Bool)? = nil) throws(MailTransportError) -> Response {
        guard !broken else { throw MailTransportError("the session with \(connection.server) was cut short", transient: true) }
        do { return try exchange(command, acceptingNo: acceptingNo, literal: literal) } catch {
            if error.serverReply == nil { broken = true }
            throw error
        }
    }

    private func exchange(_ command: String, acceptingNo: Bool, literal: ((String, Int) throws -> Bool)?) throws(MailTransportError) -> Response {
        tagNumber += 1
        let tag = "S\(tagNumber)"
        try connection.send(Array("\(tag) \(command)\r\n".utf8))
        var response = Response()
        var pending = ""
        while true {
            let raw = try connection.readLine()
            var line = String(decoding: raw, as: UTF8.self)
            if let count = Self.literalCount(line) {
                let announced = pending + line
                var consumed = false
                do { consumed = try literal?(announced, count) ?? false } catch let e as MailTransportError { throw e } catch {
                    throw MailTransportError("cannot keep the message: \(error)", transient: true)
                }
                if !consumed {
                    guard count <= 1 << 20 else { throw MailTransportError("the server sent a \(count)-byte answer to '\(command)'", transient: false) }
                    var text: [UInt8] = []
                    do { try connection.read(count: count) { text.append(contentsOf: $0) } } catch let e as MailTransportError { throw e } catch {}
                    line += String(decoding: text, as: UTF8.self)
                }
                pending += line
                continue
            }
            line = pending + line
            pending = ""
            if line.hasPrefix("* ") {
                let body = String(line.dropFirst(2))
                if body.hasPrefix("BYE") && !command.hasPrefix("LOGOUT") {
                    throw MailTransportError("\(connection.server) closed the session", serverReply: body, transient: true)
                }
                response.untagged.append(body)
            } else if line.hasPrefix(tag + " ") {
                let status = line.dropFirst(tag.count + 1)
                response.completion = String(status)
                if status.hasPrefix("OK") || (acceptingNo && status.hasPrefix("NO")) { return response }
                let verb = command.split(separator: " ").prefix(2).joined(separator: " ")
                throw MailTransportError("\(connection.server) refused \(verb)", serverReply: String(status),
                                         transient: status.contains("[UNAVAILABLE]") || status.contains("[INUSE]"))
            }
            // `+ ` continuations are not used by the commands we send; anything else is ignored.
        }
    }

    /// `{123}` or `{123+}` at the end of a line.
    static func literalCount(_ line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        return Int(digits)
    }

    /// The number in a response code such as `OK [UIDVALIDITY 3857529045]`.
    static func code(_ name: String, in line: String) -> UInt32? {
        guard let r = line.range(of: "[\(name) ") else { return nil }
        return UInt32(line[r.upperBound...].prefix { $0.isNumber })
    }
}

import Foundation
import SluiceCore
import SluiceFormats
import SluiceMail

/// The mailbox side of `imap`: find new messages, fetch them without marking them seen, offer
/// each to the runner as a run, and only then mark it `\Seen`.
extension IMAPStep {
    /// Ledger keys of one message, all scoped by pipeline and account.
    struct MessageKeys {
        var scope: String
        var mailbox: String
        var uidValidity: UInt32

        func digest(_ parts: String...) -> String { SHA256.hex(Array(([scope] + parts).joined(separator: "\u{0}").utf8)) }
        /// The message's identity: its Message-ID (or, without one, its bytes' SHA-256).
        func identity(messageID: String?, sha256: String) -> String {
            messageID.map { "imap-msg-" + digest("id", $0) } ?? "imap-msg-" + digest("sha256", sha256)
        }
        func uid(_ uid: UInt32) -> String { "imap-uid-" + digest(mailbox, String(uidValidity), String(uid)) }
        /// A UID the filters left out, under the filters in effect (other filters look again).
        func skipped(_ uid: UInt32, filters: String) -> String { "imap-skip-" + digest(mailbox, String(uidValidity), String(uid), filters) }
        /// The highest UID claimed in this mailbox (for `select: new`).
        var highWater: String { "imap-high-" + digest(mailbox, String(uidValidity)) }
    }

    public func collect(_ context: SourceContext, claim: ([CollectedItem]) throws -> [ClaimOutcome]) throws -> CollectReport {
        let account = try MailServerConnection.named(configuration.connection, service: .imap, in: context.connections, workspace: context.workspace).account
        let filter = try MessageFilter(configuration)
        let step = "imap:" + context.stepID
        let session: IMAPSession
        do { session = try IMAPSession(account: account) } catch { throw Self.stepError(error, account: configuration.connection) }
        defer { session.logout() }
        var report = CollectReport()
        do {
            let status = try session.select(mailbox)
            let keys = MessageKeys(scope: context.pipeline + "\u{0}" + configuration.connection, mailbox: mailbox, uidValidity: status.uidValidity)
            let filters = SHA256.hex(Array("\(configuration.from ?? "")\u{0}\(configuration.to ?? "")\u{0}\(configuration.subject ?? "")\u{0}\((configuration.attachments ?? []).joined(separator: ","))".utf8))
            var criteria: String
            var above: UInt32 = 0
            switch configuration.select ?? "unseen" {
            case "new":
                above = try context.recorded(keys.highWater).flatMap { UInt32($0.item) } ?? 0
                criteria = "UID \(above + 1):*"
            case "all": criteria = "ALL"
            default: criteria = "UNSEEN"
            }
            if let since = configuration.since.flatMap({ MessageFilter.sinceDate($0, now: context.now) }) {
                criteria += " SINCE " + MessageFilter.imapDate(since)
            }
            var todo: [UInt32] = []
            var unread: [UInt32] = []
            for uid in try session.search(criteria) where uid > above {
                if try context.recorded(keys.uid(uid)) != nil { unread.append(uid); continue }
                if try context.recorded(keys.skipped(uid, filters: filters)) != nil { continue }
                todo.append(uid)
            }
            if configuration.select ?? "unseen" != "unseen" { unread = try session.search("UNSEEN") }
            // Claimed before but still unread: a crash came between the claim and `\Seen`. Mark them now.
            let claimedUnread = try unread.filter { try context.recorded(keys.uid($0)).map { !$0.run.isEmpty } ?? false }
            try session.addFlags(["\\Seen"], uids: claimedUnread)
            report.deferred = max(0, todo.count - maxMessages)
            todo = Array(todo.prefix(maxMessages))
            for chunk in stride(from: 0, to: todo.count, by: batch).map({ Array(todo[$0..<min($0 + batch, todo.count)]) }) {
                let fetched = try fetch(chunk, session: session, into: context.stagingDirectory)
                defer { for (_, path) in fetched { FileOperations.removeTree(path + ".d"); unlink(path) } }
                var items: [(uid: UInt32, item: CollectedItem)] = []
                for (uid, path) in fetched {
                    do {
                        if let item = try take(uid: uid, path: path, keys: keys, filters: filters, filter: filter, step: step, context: context) {
                            items.append((uid, item))
                        }
                    } catch {
                        // Left unread and tried again at the next look (a full disk passes); the
                        // messages after it go on meanwhile.
                        context.notice("\(context.pipeline): message UID \(uid) of \(mailbox) could not be taken (\(error)); left unread, tried again at the next look")
                        report.deferred += 1
                    }
                }
                // Claimed (durably) first, then marked seen: never the other way round.
                let outcomes = try claim(items.map(\.item))
                for ((uid, item), outcome) in zip(items, outcomes) {
                    switch outcome {
                    case let .created(run): report.created.append(run)
                    case let .repeated(of: earlier):
                        let id = item.parameters["imap.message_id"].flatMap { $0.isEmpty ? nil : "<\($0)>" } ?? "UID \(uid)"
                        context.notice("\(context.pipeline): message \(id) was already processed by run \(earlier); marked seen, not processed again")
                    }
                }
                try session.addFlags(["\\Seen"], uids: items.map(\.uid))
            }
        } catch let error as MailTransportError {
            throw Self.stepError(error, account: configuration.connection)
        }
        return report
    }

    /// Fetches the messages in one request, each into `<uid>.eml`.
    func fetch(_ uids: [UInt32], session: IMAPSession, into directory: String) throws -> [(UInt32, String)] {
        var handles: [FileHandle] = []
        defer { for h in handles { try? h.close() } }
        let order = try session.fetchMessages(uids: uids) { n in
            let path = directory + "/fetch-\(n)"
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw StepError(.internal, "cannot write \(path)")
            }
            handles.append(handle)
            return { try handle.write(contentsOf: Data($0)) }
        }
        return try order.enumerated().map { n, uid in
            let path = directory + "/\(uid).eml"
            try FileOperations.move(directory + "/fetch-\(n)", to: path)
            return (uid, path)
        }.sorted { $0.0 < $1.0 }
    }

    /// Parses one fetched message and applies the filters: the item to claim, or nil when the
    /// filters leave the message out (recorded, so it is not fetched again).
    func take(uid: UInt32, path: String, keys: MessageKeys, filters: String, filter: MessageFilter, step: String,
              context: SourceContext) throws -> CollectedItem? {
        let folder = path + ".d"
        try FileOperations.makeDirectory(folder)
        let files = AttachmentFiles(directory: folder)
        let message: MIMEMessage
        do { message = try MIMEStreamParser.parse(file: path, store: files) } catch {
            throw StepError(.internal, "cannot parse message \(uid) of \(mailbox): \(error)")
        }
        let place = "\(configuration.connection)/\(mailbox)/\(keys.uidValidity)/\(uid)"
        if let why = filter.refusal(message) {
            try context.record(EffectRecord(key: keys.skipped(uid, filters: filters), run: "", step: step, item: place, state: .done,
                                            detail: why, at: context.now))
            return nil
        }
        let (sha, _) = try FileOperations.sha256(path: path)
        let messageID = message.messageID
        // The attachments that become inputs, with the names their sender gave.
        let taken = files.written.compactMap { name, path, index -> (name: String, path: String, original: String?)? in
            guard let a = message.attachments.first(where: { $0.index == index }), filter.takes(a) else { return nil }
            return (name, path, a.originalName)
        }
        return CollectedItem(
            keys: [
                EffectRecord(key: keys.identity(messageID: messageID, sha256: sha), run: "", step: step, item: place, state: .done,
                             detail: messageID, at: context.now),
                EffectRecord(key: keys.uid(uid), run: "", step: step, item: place, state: .done, detail: messageID, at: context.now),
                EffectRecord(key: keys.highWater, run: "", step: step + ":high", item: String(uid), state: .done, detail: nil, at: context.now),
            ],
            files: [(Self.messageFile, path)] + taken.map { ($0.name, $0.path) },
            parameters: ["imap.account": configuration.connection, "imap.mailbox": mailbox, "imap.uid": String(uid),
                         "imap.uidvalidity": String(keys.uidValidity), "imap.message_id": messageID ?? "",
                         "imap.from": message.from.first?.address ?? "", "imap.subject": message.subject ?? ""],
            origin: "imap:" + place, trigger: "imap",
            originalNames: Dictionary(taken.compactMap { f in f.original.map { (f.name, $0) } }, uniquingKeysWith: { a, _ in a }),
            event: "email.received")
    }

    /// After the run: move the message to `processed` or `failed`, flag a failure.
    public func runEnded(_ run: RunRecord, context: SourceContext) throws {
        let p = run.parameters
        guard let uidText = p["imap.uid"], let uid = UInt32(uidText), p["imap.account"] == configuration.connection else { return }
        let succeeded = run.status == .succeeded
        let target = succeeded ? configuration.processed : configuration.failed
        let flag = !succeeded && run.status == .failed && (configuration.flagFailed ?? true)
        guard target != nil || flag else { return }
        let account = try MailServerConnection.named(configuration.connection, service: .imap, in: context.connections, workspace: context.workspace).account
        let session = try IMAPSession(account: account)
        defer { session.logout() }
        let mailboxName = p["imap.mailbox"] ?? mailbox
        let status = try session.select(mailboxName)
        guard String(status.uidValidity) == p["imap.uidvalidity"] else {
            context.notice("\(run.id): \(mailboxName) was renumbered (UIDVALIDITY changed); the message was left where it is")
            return
        }
        // Seen in any case: a crash between the claim and `\Seen` may have left it unread, and
        // once moved, the next look at this mailbox would not find it to mark it.
        try session.addFlags(flag ? ["\\Seen", "\\Flagged"] : ["\\Seen"], uid: uid)
        if let target { try session.move(uid: uid, to: target) }
    }

    static func stepError(_ error: any Error, account: String) -> StepError {
        guard let e = error as? MailTransportError else { return error as? StepError ?? StepError(.internal, "\(error)") }
        return StepError(.effectFailed, "mailbox '\(account)': \(e)", file: "connections.yaml",
                         hint: e.transient ? "looked at again on the next run" : "check the account in connections.yaml", transient: e.transient)
    }
}

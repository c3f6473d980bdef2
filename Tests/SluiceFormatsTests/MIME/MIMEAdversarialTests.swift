import Foundation
import Testing
import SluiceFormats

/// Every hostile message in `shared/fixtures/eml/adversarial/` gives a safe result, per what
/// its `.meta.json` asks.
@Suite("MIME adversarial fixtures")
struct MIMEAdversarialTests {
    static let folder = MIMEFixtures.adversarialDirectory
    static let names = MIMEFixtures.names(in: folder)

    /// Fixtures with a test of their own below; a new fixture must get one.
    static let specificallyTested: Set<String> = [
        "adv_att_dotdot", "adv_att_duplicate_names", "adv_att_name_vs_filename",
        "adv_att_reserved_and_degenerate_names", "adv_att_rtlo", "adv_bad_base64",
        "adv_deep_multipart_nesting", "adv_many_parts", "adv_raw_8bit_invalid_utf8",
    ]

    static func parse(_ name: String, limits: MIMELimits = MIMELimits(), folder storeFolder: URL? = nil) throws -> (MIMEMessage, RecordingStore) {
        let store = RecordingStore(folder: storeFolder)
        let message = try MIMEStreamParser.parse(file: folder.appendingPathComponent(name + ".eml").path, limits: limits, store: store)
        return (message, store)
    }

    /// What holds for every stored name of every hostile message.
    @Test(arguments: names)
    func everyStoredNameIsSafe(_ name: String) throws {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent(name + ".eml.meta.json"))) as? [String: Any]
        #expect(meta?["attack"] != nil && meta?["expect"] != nil)
        #expect(Self.specificallyTested.contains(name), "no specific test for \(name)")
        let (message, store) = try Self.parse(name)
        let safeNames = message.attachments.map(\.safeName)
        #expect(Set(safeNames.map { $0.lowercased() }).count == safeNames.count)
        for safe in safeNames {
            #expect(AttachmentNameTests.isSafe(safe), "unsafe stored name \(safe.debugDescription)")
        }
        #expect(store.outputs.allSatisfy { $0.finishedComplete == true })
    }

    @Test func dotdotIsStoredAsItsBasenameInsideTheFolder() throws {
        let folder = MIMEFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passwd = try? FileManager.default.attributesOfItem(atPath: "/etc/passwd")[.modificationDate] as? Date
        let (message, store) = try Self.parse("adv_att_dotdot", folder: folder)
        #expect(message.attachments.map(\.originalName) == ["../../../../etc/passwd"])
        #expect(message.attachments.map(\.safeName) == ["passwd"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["passwd"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path).contains("passwd") == false)
        #expect((try? FileManager.default.attributesOfItem(atPath: "/etc/passwd")[.modificationDate] as? Date) == passwd)
        #expect(store.outputs[0].sha256 == (try MIMEFixtures.expected("adv_att_dotdot", in: Self.folder)).attachments[0].sha256)
    }

    @Test func duplicateNamesAreAllKept() throws {
        let folder = MIMEFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (message, store) = try Self.parse("adv_att_duplicate_names", folder: folder)
        #expect(message.attachments.map(\.safeName) == ["report.xlsx", "report-2.xlsx", "Report-3.XLSX"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
        let expected = try MIMEFixtures.expected("adv_att_duplicate_names", in: Self.folder)
        #expect(store.outputs.map(\.sha256) == expected.attachments.map(\.sha256))
        #expect(Set(store.outputs.map(\.sha256)).count == 3)
    }

    @Test func dispositionFilenameWinsAndIsSanitised() throws {
        let (message, _) = try Self.parse("adv_att_name_vs_filename")
        #expect(message.attachments.map(\.originalName) == ["../../evil.sh"])
        #expect(message.attachments.map(\.safeName) == ["evil.sh"])
    }

    @Test func reservedAndDegenerateNamesBecomeTenDistinctSafeNames() throws {
        let folder = MIMEFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (message, _) = try Self.parse("adv_att_reserved_and_degenerate_names", folder: folder)
        let names = message.attachments.map(\.safeName)
        #expect(names.count == 10)
        #expect(Array(names.prefix(7)) == ["_CON", "_nul.txt", "file.txt", "attachment-4", "attachment-5", "attachment-6", "attachment-7"])
        #expect(names[7].hasSuffix(".xlsx") && names[7].utf8.count <= 255 && names[7].hasPrefix("AAAA"))
        #expect(Array(names.suffix(2)) == ["_htaccess", "_rf"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 10)
    }

    @Test func bidiControlsAreStripped() throws {
        let (message, _) = try Self.parse("adv_att_rtlo")
        #expect(message.attachments.map(\.originalName) == ["invoice\u{202E}fdp.exe"])
        #expect(message.attachments.map(\.safeName) == ["invoicefdp.exe"])
    }

    @Test func badBase64DecodesLenientlyAndDeterministically() throws {
        let expected = try MIMEFixtures.expected("adv_bad_base64", in: Self.folder).attachments[0]
        let raw = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("adv_bad_base64.eml")))
        for chunk in [nil, 1, 3, 7] {
            let store = RecordingStore()
            let message = try MIMEFixtures.parse(raw, chunkSize: chunk, store: store)
            #expect(message.attachments[0].size == expected.size)
            #expect(store.outputs[0].sha256 == expected.sha256)
            #expect(message.attachments[0].defects.map(\.code) == [.invalidBase64])
        }
    }

    @Test func deepNestingStopsAtTheDepthLimit() throws {
        let (message, _) = try Self.parse("adv_deep_multipart_nesting")
        #expect(message.maxDepth == 32)
        #expect(message.defects.map(\.code) == [.depthLimit])
        #expect(!message.truncated)
        // Without the limit the structure is followed all the way, on an explicit stack.
        var unlimited = MIMELimits()
        unlimited.maxDepth = 100_000
        let (deep, _) = try Self.parse("adv_deep_multipart_nesting", limits: unlimited)
        let expected = try MIMEFixtures.expected("adv_deep_multipart_nesting", in: Self.folder)
        #expect(deep.maxDepth == expected.max_depth)
        #expect(deep.partCount == expected.part_count)
        #expect(deep.defects.isEmpty)
    }

    @Test func manyPartsAreCappedWithADefect() throws {
        let (message, store) = try Self.parse("adv_many_parts")
        #expect(message.defects.map(\.code) == [.partLimit])
        #expect(message.attachments.count == 499)  // parts 2...500 (the top level is part 1)
        #expect(store.outputs.count == 499)
        #expect(message.partCount == 10_001)
    }

    @Test func invalidUTF8HeadersDecodeToReplacementCharacters() throws {
        let expected = try MIMEFixtures.expected("adv_raw_8bit_invalid_utf8", in: Self.folder)
        let (message, _) = try Self.parse("adv_raw_8bit_invalid_utf8")
        #expect(message.subject == expected.subject)
        #expect(message.subject == "caf\u{FFFD} \u{FFFD}\u{FFFD}")
        #expect(message.attachments.map(\.originalName) == ["r\u{FFFD}sum\u{FFFD}\u{FFFD}.txt"])
        #expect(message.attachments.map(\.safeName) == ["r\u{FFFD}sum\u{FFFD}\u{FFFD}.txt"])
        #expect(message.allDefects.contains { $0.code == .invalidUTF8Header })
        let (again, _) = try Self.parse("adv_raw_8bit_invalid_utf8")
        #expect(again.attachments.map(\.safeName) == message.attachments.map(\.safeName))
    }
}

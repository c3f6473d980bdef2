import Foundation
import Testing
@testable import SluiceFormats

@Suite("MIME header decoding (RFC 2047, RFC 2231, charsets)")
struct EncodedWordsTests {
    @Test(arguments: [
        ("=?ISO-8859-1?Q?Eelanal=FC=FCsi_p=E4ring?=", "Eelanalüüsi päring"),
        ("=?utf-8?B?44Gm44GZ44GoLnR4dA==?=", "てすと.txt"),
        ("=?utf-8?b?44Gm44GZ44GoLnR4dA?=", "てすと.txt"),
        // Whitespace between adjacent encoded words disappears, elsewhere it stays.
        ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
        ("=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"),
        ("=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"),
        ("Nodemailer =?UTF-8?Q?=E2=9C=94?= (1476358788189)", "Nodemailer ✔ (1476358788189)"),
        ("=?utf-8?q?a_b?=", "a b"),
        // A character split across two words (same charset) survives.
        ("=?utf-8?B?4pw=?= =?utf-8?B?lA==?=", "✔"),
        // Different charsets next to each other.
        ("=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "éé"),
        ("=?utf-8*en?q?lang?=", "lang"),
        ("not =?an encoded word", "not =?an encoded word"),
        ("=?utf-8?x?bad encoding?=", "=?utf-8?x?bad encoding?="),
        ("plain text", "plain text"),
    ])
    func encodedWords(_ raw: String, _ text: String) {
        #expect(EncodedWords.decode(raw).text == text)
    }

    @Test func unknownCharsetFallsBackToUTF8() {
        let d = EncodedWords.decode("=?x-klingon?q?caf=C3=A9_=FF?=")
        #expect(d.text == "café \u{FFFD}")
        #expect(d.unknownCharsets == ["x-klingon"])
    }

    @Test func rfc2231ContinuationsWithCharsetAndLanguage() {
        let v = MIMEParameterizedValue.parse(
            "attachment;\r\n filename*0*=utf-8'ja'%E3%81%8B%E3%81%8D;\r\n filename*1*=%E3%81%8F.txt;\r\n filename*2=\" (2)\"; size=12")
        #expect(v.value == "attachment")
        #expect(v["filename"] == "かきく.txt (2)")
        #expect(v["SIZE"] == "12")
    }

    @Test func rfc2231SingleExtendedValueWinsOverPlain() {
        let v = MIMEParameterizedValue.parse("attachment; filename=\"plain.txt\"; filename*=iso-8859-1''%E9t%E9.txt")
        #expect(v["filename"] == "été.txt")
        let unordered = MIMEParameterizedValue.parse("inline; name*1=\"b.txt\"; name*0=\"a\"")
        #expect(unordered["name"] == "ab.txt")
        let noCharset = MIMEParameterizedValue.parse("attachment; filename*=''..%2F..%2Fevil.sh")
        #expect(noCharset["filename"] == "../../evil.sh")
    }

    @Test func quotedStringsTokensAndEncodedWords() {
        let v = MIMEParameterizedValue.parse("Multipart/Mixed; boundary=\"----=_Part_1\\\"x\"; charset=UTF-8 ;name=\"=?utf-8?q?caf=C3=A9?=.txt\"")
        #expect(v.value == "multipart/mixed")
        #expect(v["boundary"] == "----=_Part_1\"x")
        #expect(v["charset"] == "UTF-8")
        #expect(v["name"] == "café.txt")
        let bare = MIMEParameterizedValue.parse("text/plain; name=This is a test.txt")
        #expect(bare["name"] == "This is a test.txt")
    }

    @Test(arguments: [
        ("utf-8", [0x63, 0x61, 0x66, 0xC3, 0xA9], "café", true),
        ("ISO-8859-1", [0x63, 0x61, 0x66, 0xE9, 0xA4], "café¤", true),
        ("iso-8859-15", [0x63, 0x61, 0x66, 0xE9, 0xA4], "café€", true),
        ("windows-1252", [0x80, 0x93, 0x71, 0x94, 0x81], "€“q”\u{FFFD}", false),
        ("us-ascii", [0x61, 0x62], "ab", true),
        ("utf-8", [0x61, 0xE9, 0x62], "a\u{FFFD}b", false),
        ("iso-2022-jp", [0x1B, 0x24, 0x42, 0x24, 0x46, 0x24, 0x39, 0x24, 0x48, 0x1B, 0x28, 0x42], "てすと", true),
        ("Shift_JIS", [0x82, 0xC4, 0x82, 0xB7, 0x82, 0xC6], "てすと", true),
        ("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "Привет", true),
        ("x-unknown-charset", [0x61, 0xFF], "a\u{FFFD}", false),
    ] as [(String, [UInt8], String, Bool)])
    func charsets(_ label: String, _ bytes: [UInt8], _ text: String, _ lossless: Bool) {
        let result = MIMECharset(label).decode(bytes)
        #expect(result.text == text)
        #expect(result.lossless == lossless)
    }

    @Test func lossyUTF8ReplacesEachBadByte() {
        #expect(LossyUTF8.decode([0x72, 0xE9, 0x73, 0xE9, 0xFF, 0x2E]).text == "r\u{FFFD}s\u{FFFD}\u{FFFD}.")
        #expect(LossyUTF8.decode([0xE2, 0x82, 0x41]).text == "\u{FFFD}\u{FFFD}A")
        #expect(LossyUTF8.decode(Array("ok ✔".utf8)) == ("ok ✔", false))
    }

    @Test func dates() {
        #expect(MailDate.parse("Mon, 01 Jan 2024 00:00:00 +0000") == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(MailDate.parse("Thu, 10 Jan 2002 13:59:53 -0800") == Date(timeIntervalSince1970: 1_010_699_993))
        #expect(MailDate.parse("10 Jan 02 21:59:53 GMT") == Date(timeIntervalSince1970: 1_010_699_993))
        #expect(MailDate.parse("Thu, 10 Jan 2002 16:12:11 -0600 (CST)") == Date(timeIntervalSince1970: 1_010_700_731))
        #expect(MailDate.parse("Thu, 10 Jan 2002 15:59 EST") == Date(timeIntervalSince1970: 1_010_696_340))
        #expect(MailDate.parse("yesterday") == nil)
        #expect(MailDate.parse("Mon, 32 Jan 2024 00:00:00 +0000") == nil)
        #expect(MailDate.parse("Mon, 1 Jan 99999999999999999 00:00:00 +0000") == nil)
    }
}

import Testing

@testable import L7Proxy

@Suite struct HTTPBytesTests {
    @Test func namesMatchInAnyLetterCaseAndNothingElseFolds() {
        #expect(HTTPBytes.equalsIgnoringCase("Content-Length".utf8, "content-length"))
        #expect(HTTPBytes.equalsIgnoringCase("TRANSFER-ENCODING".utf8, "transfer-encoding"))
        // CR | 0x20 is "-": a fold of every byte would take this for Content-Length.
        #expect(!HTTPBytes.equalsIgnoringCase("Content\rLength".utf8, "content-length"))
        #expect(!HTTPBytes.equalsIgnoringCase("Content-Lengt".utf8, "content-length"))
        #expect(!HTTPBytes.equalsIgnoringCase("Content-Lengths".utf8, "content-length"))
    }

    @Test func trimmingTakesSpacesAndTabsOnly() {
        let bytes: [UInt8] = Array(" \t a b\t ".utf8)
        bytes.withUnsafeBytes { raw in
            #expect(Array(HTTPBytes.trimmed(raw[...])) == Array("a b".utf8))
        }
    }
}

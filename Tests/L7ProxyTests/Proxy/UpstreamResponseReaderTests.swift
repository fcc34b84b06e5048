import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// Reads `pieces` as one connection delivers them, keeping an incomplete part's bytes for the
/// next piece as ``HTTP1UpstreamHandler`` does; the body parts are joined into one.
private func read(
    _ pieces: [String], toHEAD: Bool = false, closeAtEnd: Bool = false
) throws -> (head: HTTPResponseHead?, body: String, trailers: HTTPHeaders??, leftover: Int) {
    var reader = UpstreamResponseReader()
    reader.expectResponse(toHEAD: toHEAD)
    var head: HTTPResponseHead?
    var body = ""
    var end: HTTPHeaders??
    var kept = ByteBuffer()
    var parts: [HTTPClientResponsePart] = []
    for piece in pieces {
        kept.writeString(piece)
        while let part = try reader.next(from: &kept) { parts.append(part.nioPart) }
    }
    if closeAtEnd, let part = reader.connectionEnded() { parts.append(part.nioPart) }
    for part in parts {
        switch part {
        case .head(let received): head = received
        case .body(let bytes): body += String(buffer: bytes)
        case .end(let trailers): end = .some(trailers)
        }
    }
    return (head, body, end, kept.readableBytes)
}

@Suite struct UpstreamResponseReaderTests {
    let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nGrpc-Status: 0\r\n\r\n"

    @Test func contentLengthBody() throws {
        let result = try read(["HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Name:  a b \r\n\r\nhello"])
        #expect(result.head?.status == .created)
        #expect(result.head?.headers["X-Name"] == ["a b"])
        #expect(result.body == "hello")
        #expect(result.trailers == .some(nil))
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let result = try read([chunked])
        #expect(result.body == "hello0123456789")
        #expect(result.trailers == .some(["Grpc-Status": "0"]))
        #expect(result.head?.headers["X-A"] == ["1"])
    }

    @Test func everySplitOfTheBytesReadsTheSame() throws {
        let whole = try read([chunked])
        let bytes = Array(chunked.utf8)
        for cut in 1..<bytes.count {
            let pieces = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            let split = try read(pieces)
            #expect(split.head == whole.head && split.body == whole.body && split.trailers == whole.trailers, "cut at \(cut)")
        }
        let byteByByte = try read(bytes.map { String(decoding: [$0], as: UTF8.self) })
        #expect(byteByByte.body == whole.body && byteByByte.trailers == whole.trailers)
    }

    @Test func bodylessResponsesEndAfterTheirHead() throws {
        let toHEAD = try read(["HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"], toHEAD: true)
        #expect(toHEAD.head?.headers["Content-Length"] == ["99"])
        #expect(toHEAD.trailers == .some(nil))
        for status in ["204 No Content", "304 Not Modified"] {
            let result = try read(["HTTP/1.1 \(status)\r\nContent-Length: 3\r\n\r\n"])
            #expect(result.trailers == .some(nil), "\(status)")
        }
        let empty = try read(["HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"])
        #expect(empty.trailers == .some(nil) && empty.body.isEmpty)
    }

    @Test func interimResponsesAreDropped() throws {
        let result = try read(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"])
        #expect(result.head?.status == .ok)
        #expect(result.body == "ok")
    }

    @Test func transferEncodingDecidesOverContentLength() throws {
        let result = try read(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"])
        #expect(result.body == "ok")
        #expect(!result.head!.headers.contains(name: "Content-Length"))
    }

    @Test func aBodyWithoutLengthEndsWithTheConnection() throws {
        var reader = UpstreamResponseReader()
        reader.expectResponse(toHEAD: false)
        var bytes = ByteBuffer(string: "HTTP/1.0 200 OK\r\n\r\nsome")
        guard case .head(let head) = try reader.next(from: &bytes) else { Issue.record("no head"); return }
        #expect(head.version == .http1_0)
        #expect(try reader.next(from: &bytes)?.nioPart == .body(ByteBuffer(string: "some")))
        #expect(try reader.next(from: &bytes)?.nioPart == nil)
        #expect(reader.isDelimitedByClose)
        #expect(reader.connectionEnded()?.nioPart == .end(nil))
        #expect(!reader.awaitsResponse)
        let unknownCoding = try read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"], closeAtEnd: true)
        #expect(unknownCoding.body == "abc" && unknownCoding.trailers == .some(nil))
    }

    @Test func aResponseCutShortHasNoEnd() throws {
        var reader = UpstreamResponseReader()
        reader.expectResponse(toHEAD: false)
        var bytes = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        _ = try reader.next(from: &bytes)
        _ = try reader.next(from: &bytes)
        #expect(reader.connectionEnded() == nil)
    }

    @Test func bytesAfterTheResponseAreLeftUnread() throws {
        let result = try read(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"])
        #expect(result.body == "ok")
        #expect(result.leftover == 17)
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\u{1}\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
    ])
    func malformedResponsesAreRefused(_ response: String) {
        #expect(throws: MalformedResponse.self) { try read([response]) }
    }

    @Test func matchingContentLengthListsAreOneLength() throws {
        let result = try read(["HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"])
        #expect(result.body == "ok" && result.trailers == .some(nil))
    }

    @Test func aHeadThatNeverEndsIsRefusedAtTheLimit() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Filler: 0123456789abcdef\r\n", count: 4000)
        #expect(throws: MalformedResponse.self) { try read([endless]) }
    }
}

import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// A target's response head kept as its field lines' bytes when an HTTP/1 client can get them
/// as they are, and the bytes that leave for the client either way.
@Suite struct TargetResponseHeadTests {
    let allocator = ByteBufferAllocator()

    /// The head the reader makes of `raw`.
    func head(_ raw: String, toHEAD: Bool = false) throws -> TargetResponseHead {
        var reader = UpstreamResponseReader()
        reader.expectResponse(toHEAD: toHEAD)
        var bytes = ByteBuffer(string: raw)
        guard case .head(let head) = try reader.next(from: &bytes) else { throw MalformedResponse("no head in \(raw)") }
        return head
    }

    @Test func canonicalFieldsWithALengthAreKeptAsBytes() throws {
        let received = try head("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nok")
        #expect(received.forwardableFieldLines.map { String(buffer: $0) } == "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n")
        #expect(received.headers == ["Content-Type": "text/plain; charset=utf-8", "Content-Length": "2"])
        #expect(received.isKeepAlive && received.hasContentLength)
        #expect(try !head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").isKeepAlive)
        #expect(try head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", toHEAD: true).forwardableFieldLines != nil)
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A:  b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b \r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A:\tb\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A:b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\nX-A: b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nkeep-alive: timeout=5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n",
    ])
    func anyOtherHeadIsDecoded(_ raw: String) throws {
        #expect(try head(raw).forwardableFieldLines == nil)
    }

    /// What the client gets: the head written from the kept bytes, and from NIO's type as the
    /// node rewrites any other head, are the same bytes.
    @Test(arguments: [(HTTPVersion.http1_1, true), (.http1_1, false), (.http1_0, true), (.http1_0, false)])
    func theKeptBytesLeaveAsTheRewrittenHeadWould(requestVersion: HTTPVersion, keepAlive: Bool) throws {
        let received = try head("HTTP/1.1 201 Created\r\nSet-Cookie: a=b\r\nContent-Length: 5\r\nSet-Cookie: c=d\r\nX-Long: "
            + String(repeating: "v", count: 300) + "\r\n\r\n")
        let lines = try #require(received.forwardableFieldLines)
        var kept = ClientResponseBytes()
        let size = kept.head(
            version: ClientResponseHead.version(requestVersion: requestVersion), status: received.status, fieldLines: lines,
            connection: ClientResponseHead.connection(requestVersion: requestVersion, keepAlive: keepAlive), answersHEAD: false,
            allocator: allocator)
        let rewrittenHead = ClientResponseHead.make(from: received.head, requestVersion: requestVersion, keepAlive: keepAlive)
        var rewritten = ClientResponseBytes()
        rewritten.head(rewrittenHead, answersHEAD: false, allocator: allocator)
        let keptBytes = try #require(kept.take().map { String(buffer: $0) })
        #expect(keptBytes == rewritten.take().map { String(buffer: $0) })
        #expect(size == keptBytes.utf8.count && size == HTTPHeadSize.response(rewrittenHead))
        #expect(keptBytes.hasPrefix(requestVersion == .http1_0 ? "HTTP/1.0 201 Created\r\n" : "HTTP/1.1 201 Created\r\n"))
    }

    @Test func anAnswerToHEADKeepsItsLengthAndSendsNoBody() throws {
        let received = try head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", toHEAD: true)
        var writer = ClientResponseBytes()
        _ = writer.head(version: .http1_1, status: received.status, fieldLines: try #require(received.forwardableFieldLines),
                        connection: nil, answersHEAD: true, allocator: allocator)
        #expect(writer.body(ByteBuffer(string: "hello"), allocator: allocator) == nil)
        writer.end(trailers: nil, allocator: allocator)
        #expect(writer.take().map { String(buffer: $0) } == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }
}

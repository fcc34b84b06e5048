import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ClientResponseBytesTests {
    let allocator = ByteBufferAllocator()

    /// The bytes of one response: head, body pieces, end, as the client connection writes them.
    func bytes(_ head: HTTPResponseHead, body: [String] = [], trailers: HTTPHeaders? = nil, answersHEAD: Bool = false) -> String {
        var writer = ClientResponseBytes()
        var out = ""
        writer.head(head, answersHEAD: answersHEAD, allocator: allocator)
        for piece in body {
            if let large = writer.body(ByteBuffer(string: piece), allocator: allocator) {
                out += writer.take().map { String(buffer: $0) } ?? ""
                out += String(buffer: large)
                writer.afterLargeBody(allocator: allocator)
            }
        }
        writer.end(trailers: trailers, allocator: allocator)
        out += writer.take().map { String(buffer: $0) } ?? ""
        #expect(writer.take() == nil)
        return out
    }

    @Test func aResponseWithLengthLeavesAsOneBuffer() {
        var writer = ClientResponseBytes()
        writer.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2", "X-A": "b"]), answersHEAD: false,
                    allocator: allocator)
        #expect(writer.body(ByteBuffer(string: "ok"), allocator: allocator) == nil)
        writer.end(trailers: nil, allocator: allocator)
        #expect(writer.take().map { String(buffer: $0) } == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok")
    }

    @Test func withoutLengthHTTP11IsChunkedWithTrailers() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["X-A": "b"])
        #expect(bytes(head, body: ["hello", ""], trailers: ["Grpc-Status": "0"])
            == "HTTP/1.1 200 OK\r\nX-A: b\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nGrpc-Status: 0\r\n\r\n")
        let http10 = HTTPResponseHead(version: .http1_0, status: .ok, headers: ["Connection": "close"])
        #expect(bytes(http10, body: ["raw"]) == "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nraw")
    }

    @Test func bodylessStatusesDropTheirFraming() {
        let head = HTTPResponseHead(version: .http1_1, status: .notModified, headers: ["Content-Length": "5", "ETag": "x"])
        #expect(bytes(head) == "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n")
        let both = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2", "Transfer-Encoding": "chunked"])
        #expect(bytes(both, body: ["ok"]) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    }

    @Test func anAnswerToHEADHasNoBodyAndNoLastChunk() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["X-A": "b"])
        #expect(bytes(head, body: ["ignored"], answersHEAD: true) == "HTTP/1.1 200 OK\r\nX-A: b\r\ntransfer-encoding: chunked\r\n\r\n")
    }

    @Test func anInterimAnswerLeavesTheFramingToTheFinalOne() {
        var writer = ClientResponseBytes()
        writer.head(HTTPResponseHead(version: .http1_1, status: .continue), answersHEAD: false, allocator: allocator)
        #expect(writer.take().map { String(buffer: $0) } == "HTTP/1.1 100 Continue\r\n\r\n")
        writer.head(HTTPResponseHead(version: .http1_1, status: .ok), answersHEAD: false, allocator: allocator)
        _ = writer.body(ByteBuffer(string: "a"), allocator: allocator)
        writer.end(trailers: nil, allocator: allocator)
        #expect(writer.take().map { String(buffer: $0) } == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n")
    }

    @Test func largePiecesAreWrittenAsTheyAreInTheirFrame() {
        let large = String(repeating: "x", count: ClientResponseBytes.gatheringLimit + 1)
        let chunked = bytes(HTTPResponseHead(version: .http1_1, status: .ok), body: ["a", large, "b"])
        #expect(chunked == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n4001\r\n\(large)\r\n1\r\nb\r\n0\r\n\r\n")
        let length = bytes(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "\(large.count + 1)"]),
                           body: [large, "c"])
        #expect(length == "HTTP/1.1 200 OK\r\nContent-Length: \(large.count + 1)\r\n\r\n\(large)c")
    }

    @Test func aCustomStatusKeepsItsReason() {
        let head = HTTPResponseHead(version: .http1_1, status: .custom(code: 299, reasonPhrase: "Fine"), headers: ["Content-Length": "0"])
        #expect(bytes(head) == "HTTP/1.1 299 Fine\r\nContent-Length: 0\r\n\r\n")
    }
}

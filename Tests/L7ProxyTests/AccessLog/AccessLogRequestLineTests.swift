import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct AccessLogRequestLineTests {
    func line(_ head: HTTPRequestHead, scheme: String = "http", localIP: String? = "10.0.1.5", localPort: Int? = 80) -> AccessLogRequestLine {
        AccessLogRequestLine(head: head, scheme: scheme, localIP: localIP, localPort: localPort)
    }

    @Test func namesTheHostWithoutItsPortAndTheListenersPort() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?b=1", headers: ["Host": "app.example:8080"])
        #expect(line(head).description == "GET http://app.example:80/a?b=1 HTTP/1.1")
        let v6 = HTTPRequestHead(version: .http1_0, method: .HEAD, uri: "/", headers: ["Host": "[2001:db8::1]:443"])
        #expect(line(v6, scheme: "https", localPort: 443).description == "HEAD https://[2001:db8::1]:443/ HTTP/1.0")
    }

    @Test func fallsBackToTheNodesAddressAndDashes() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "*", headers: [:])
        #expect(line(head).description == "GET http://10.0.1.5:80/* HTTP/1.1")
        #expect(line(head, localIP: nil, localPort: nil).description == "GET http://-:-/* HTTP/1.1")
        // The node's own address is written whole: an IPv6 address has no port to drop.
        #expect(line(head, localIP: "fd00::5").description == "GET http://fd00::5:80/* HTTP/1.1")
        #expect(AccessLogRequestLine.unreadable.description == "- - -")
    }

    @Test func isWrittenQuotedWithEscapes() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/q\"x\\", headers: ["Host": "h"])
        var written = AccessLogLine()
        written.appendQuoted(line(head))
        var quoted = AccessLogLine()
        quoted.appendQuoted(line(head).description)
        #expect(written.text == #""GET http://h:80/q\x22x\x5c HTTP/1.1""#)
        #expect(written.text == quoted.text)
    }

    @Test func equalWhenTheyReadTheSame() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "h"])
        #expect(line(head) == AccessLogRequestLine("GET http://h:80/ HTTP/1.1"))
        #expect(line(head) != AccessLogRequestLine("GET http://h:81/ HTTP/1.1"))
    }
}

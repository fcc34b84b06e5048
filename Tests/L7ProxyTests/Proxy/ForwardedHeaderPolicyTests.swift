import Foundation
import NIOHTTP1
import Testing

@testable import L7Proxy

/// `routing.http.xff_header_processing.mode`, `routing.http.xff_client_port.enabled` and
/// `routing.http.preserve_host_header.enabled` as the forwarded head shows them.
@Suite struct ForwardedHeaderPolicyTests {
    func forwarded(_ headers: HTTPHeaders, policy: ForwardedHeaderPolicy, port: Int = 80, scheme: String = "http") -> HTTPHeaders {
        let context = ForwardedRequestHead.Context(
            clientAddress: "198.51.100.9", listenerScheme: scheme, listenerPort: port, nodeName: "alb-a", traceID: "Root=1-x-y",
            clientPort: 40312, policy: policy)
        return ForwardedRequestHead(request: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers),
                                    context: context).head.headers
    }

    let twoLines: HTTPHeaders = ["Host": "app.example", "X-Forwarded-For": "192.0.2.1", "x-forwarded-for": "192.0.2.2"]

    @Test func xffModes() {
        #expect(forwarded(twoLines, policy: .init())["X-Forwarded-For"] == ["192.0.2.1, 192.0.2.2, 198.51.100.9"])
        #expect(forwarded(twoLines, policy: .init(xffClientPort: true))["X-Forwarded-For"]
                == ["192.0.2.1, 192.0.2.2, 198.51.100.9:40312"])
        #expect(forwarded(twoLines, policy: .init(xffHeaderProcessingMode: .preserve))["X-Forwarded-For"] == ["192.0.2.1", "192.0.2.2"])
        #expect(forwarded(["Host": "a"], policy: .init(xffHeaderProcessingMode: .preserve))["X-Forwarded-For"].isEmpty)
        #expect(forwarded(twoLines, policy: .init(xffHeaderProcessingMode: .remove))["X-Forwarded-For"].isEmpty)
    }

    @Test func hostGetsTheListenerPortUnlessPreservedOrDefault() {
        #expect(forwarded(twoLines, policy: .init(), port: 8080)["Host"] == ["app.example:8080"])
        #expect(forwarded(["Host": "app.example:9"], policy: .init(), port: 8080)["Host"] == ["app.example:9"])
        #expect(forwarded(["Host": "[2001:db8::1]"], policy: .init(), port: 8080)["Host"] == ["[2001:db8::1]:8080"])
        #expect(forwarded(twoLines, policy: .init(), port: 80)["Host"] == ["app.example"])
        #expect(forwarded(twoLines, policy: .init(), port: 443, scheme: "https")["Host"] == ["app.example"])
        #expect(forwarded(twoLines, policy: .init(preserveHostHeader: true), port: 8080)["Host"] == ["app.example"])
    }

    @Test func unknownConfigurationKeysAreRefusedWithTheirPath() throws {
        let good = #"{"nodeName":"n","availabilityZone":"a","forwardedHeaders":{"xffHeaderProcessingMode":"remove"},"#
            + #""listeners":[{"port":80,"defaultActions":[{"type":"fixed-response","statusCode":"200"}]}]}"#
        #expect(try ProxyConfiguration.decode(Data(good.utf8)).forwardedHeaders.xffHeaderProcessingMode == .remove)
        for (text, path) in [
            (good.replacingOccurrences(of: #""nodeName""#, with: #""nodename":"x","nodeName""#), "nodename"),
            (good.replacingOccurrences(of: #""remove""#, with: #""remove","xffPort":true"#), "forwardedHeaders.xffPort"),
            (good.replacingOccurrences(of: #""statusCode":"200""#, with: #""statusCode":"200","host":"x""#),
             "listeners[0].defaultActions[0].host"),
        ] {
            #expect { try ProxyConfiguration.decode(Data(text.utf8)) } throws: { error in
                "\(error)".contains("\(path): unknown key")
            }
        }
    }
}

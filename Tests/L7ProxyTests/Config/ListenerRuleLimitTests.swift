import Foundation
import Testing

@testable import L7Proxy

/// The proxy's own configuration meets AWS's rule, redirect and fixed-response limits
/// (ListenerRuleLimits): each at its limit accepted, one past it refused with its field path.
@Suite struct ListenerRuleLimitTests {
    static let rule = "listeners[0].rules[0]"
    static let defaultAction = "listeners[0].defaultActions[0]"

    func problems(conditions: [RuleCondition]) -> [String] {
        problems(rules: [ListenerRule(priority: 1, conditions: conditions, actions: [.forward([WeightedTargetGroup(name: "web")])])])
    }

    func problems(defaultAction: RuleAction) -> [String] {
        problems(defaultActions: [defaultAction])
    }

    private func problems(rules: [ListenerRule] = [], defaultActions: [RuleAction] = [.forward([WeightedTargetGroup(name: "web")])]) -> [String] {
        let configuration = ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a",
            listeners: [ListenerConfiguration(port: 80, rules: rules, defaultActions: defaultActions)],
            targetGroups: [TargetGroupConfiguration(
                name: "web", port: 8080, targets: [TargetConfiguration(address: "10.0.1.10", availabilityZone: "az-a")])]
        )
        return configuration.problems
    }

    @Test func conditionValuesPerRule() {
        let five: [RuleCondition] = [.hostHeader(["a.example.com", "b.example.com"]), .pathPattern(["/a", "/b", "/c"])]
        #expect(problems(conditions: five) == [])
        #expect(problems(conditions: five + [.httpRequestMethod(["GET"])])
            == ["\(Self.rule).conditions: a rule can only have 5 condition values, got 6"])
        let spread = (1...6).map { RuleCondition.httpHeader(name: "X-\($0)", values: ["v"]) }
        #expect(problems(conditions: spread) == ["\(Self.rule).conditions: a rule can only have 5 condition values, got 6"])
    }

    @Test func wildcardsPerRule() {
        let five: [RuleCondition] = [.hostHeader(["*.example.com"]), .pathPattern(["/*/*/?/?"]),
                                     .queryString([QueryStringPair(key: #"k\*"#, value: #"v\?"#)])]
        #expect(problems(conditions: five) == [], "escaped query-string wildcards are literal characters")
        let six: [RuleCondition] = [.hostHeader(["*.example.com"]), .pathPattern(["/*/*/?/?"]),
                                    .queryString([QueryStringPair(key: "k*", value: "v")])]
        #expect(problems(conditions: six) == ["\(Self.rule).conditions: a rule can only have 5 wildcards (* and ?) in its conditions, got 6"])
    }

    @Test func valueLengths() {
        let host = String(repeating: "a", count: 124) + ".com", path = "/" + String(repeating: "p", count: 127)
        let text = String(repeating: "t", count: 128)
        #expect(problems(conditions: [.hostHeader([host]), .pathPattern([path]), .httpHeader(name: "X-A", values: [text]),
                                      .queryString([QueryStringPair(key: text, value: text)])]) == [])
        let found = problems(conditions: [.hostHeader(["a" + host]), .pathPattern([path + "p"]), .httpHeader(name: "X-A", values: [text + "t"]),
                                          .queryString([QueryStringPair(key: text + "k", value: text + "v")])])
        for field in ["conditions[0].values[0]", "conditions[1].values[0]", "conditions[2].values[0]",
                      "conditions[3].values[0].key", "conditions[3].values[0].value"] {
            #expect(found.contains { $0.hasPrefix("\(Self.rule).\(field): ") && $0.hasSuffix("129 characters long; the limit is 128") },
                    "\(field): \(found)")
        }
        #expect(found.count == 5, "\(found)")
    }

    @Test func hostPathHeaderAndMethodCharacters() {
        let forty = "X-" + String(repeating: "h", count: 38), method = String(repeating: "M", count: 38) + "-_"
        #expect(problems(conditions: [
            .hostHeader(["api_v2.example.com", "*.EXAMPLE.org"]), .pathPattern([#"/a_b-c.d$e/~"f'g@h:i+j&k"#]),
            .httpHeader(name: forty, values: ["a b"]), .httpRequestMethod([method]),
        ]) == [])
        #expect(problems(conditions: [
            .hostHeader(["localhost", "api.example.c0m"]), .pathPattern(["/a b"]),
            .httpHeader(name: "host", values: ["a\u{01}b"]), .httpRequestMethod(["M" + method]),
        ]) == [
            "\(Self.rule).conditions[0].values[0]: 'localhost' needs at least one '.'",
            "\(Self.rule).conditions[0].values[1]: 'api.example.c0m' may have only letters after its last '.'",
            "\(Self.rule).conditions[1].values[0]: '/a b' has ' '; a path pattern takes A-Z, a-z, 0-9, _-.$/~\"'@:+& and the wildcards * and ?",
            "\(Self.rule).conditions[2].httpHeaderName: an http-header condition can't match the Host header; use a host-header condition",
            "\(Self.rule).conditions[2].values[0]: 'a\\u{01}b' has a control character; rules apply to visible ASCII characters only",
            "\(Self.rule).conditions[3].values[0]: 'M\(method)' is not an HTTP method name like GET (A-Z, '_' and '-', at most 40)",
        ])
        #expect(problems(conditions: [.httpHeader(name: forty + "h", values: ["v"])])
            == ["\(Self.rule).conditions[0].httpHeaderName: '\(forty)h' is 41 characters long; the limit is 40"])
    }

    @Test func redirectLimits() {
        let host = String(repeating: "h", count: 128), path = "/" + String(repeating: "p", count: 127)
        let query = String(repeating: "q", count: 128)
        #expect(problems(defaultAction: .redirect(RedirectAction(statusCode: "HTTP_301", host: host, port: "65535", path: path, query: query))) == [])
        #expect(problems(defaultAction: .redirect(RedirectAction(
            statusCode: "HTTP_301", host: host + "h", port: "65536", path: path + "p", query: query + "q"))) == [
            "\(Self.defaultAction).port: '65536' is neither a port number from 1 to 65535 nor #{port}",
            "\(Self.defaultAction).host: is 129 characters long; it takes 1 to 128",
            "\(Self.defaultAction).path: is 129 characters long; it takes 1 to 128",
            "\(Self.defaultAction).query: is 129 characters long; it takes 0 to 128",
        ])
        #expect(problems(defaultAction: .redirect(RedirectAction(statusCode: "HTTP_302", host: "#{path}.example.com", path: "/#{query}"))) == [
            "\(Self.defaultAction).host: #{path} can't be used here; the host takes #{host}",
            "\(Self.defaultAction).path: #{query} can't be used here; the path takes #{host}, #{path}, #{port}",
        ])
        #expect(problems(defaultAction: .redirect(RedirectAction(statusCode: "HTTP_301", query: "a=1")))
            == ["\(Self.defaultAction): The redirect configuration is not valid because it creates a loop."])
    }

    @Test func fixedResponseLimits() {
        let body = String(repeating: "b", count: 1024)
        #expect(problems(defaultAction: .fixedResponse(FixedResponseAction(statusCode: "599", contentType: "text/css", messageBody: body))) == [])
        #expect(problems(defaultAction: .fixedResponse(FixedResponseAction(statusCode: "600", contentType: "image/png", messageBody: body + "b"))) == [
            "\(Self.defaultAction).statusCode: '600' is not a 2XX, 4XX or 5XX status code",
            "\(Self.defaultAction).contentType: 'image/png' is not one of text/plain, text/css, text/html, application/javascript, application/json",
            "\(Self.defaultAction).messageBody: is 1025 characters long; the limit is 1024",
        ])
    }

    /// A hand-written node JSON meets the same limits when the proxy loads it.
    @Test func aHandWrittenConfigurationIsHeldToTheLimits() {
        let json = """
            {"nodeName": "alb-a", "availabilityZone": "az-a",
             "listeners": [{"port": 80, "defaultActions": [{"type": "forward", "targetGroups": [{"name": "web"}]}],
                            "rules": [{"priority": 1, "actions": [{"type": "forward", "targetGroups": [{"name": "web"}]}],
                                       "conditions": [{"field": "path-pattern", "values": ["/1", "/2", "/3"]},
                                                      {"field": "http-header", "httpHeaderName": "Host", "values": ["a", "b", "c"]}]}]}],
             "targetGroups": [{"name": "web", "port": 8080, "targets": [{"address": "10.0.1.10", "availabilityZone": "az-a"}]}]}
            """
        #expect {
            try ProxyConfiguration.decode(Data(json.utf8))
        } throws: { error in
            guard case .invalid(let problems) = error as? ProxyConfigurationError else { return false }
            return problems == [
                "\(Self.rule).conditions[1].httpHeaderName: an http-header condition can't match the Host header; use a host-header condition",
                "\(Self.rule).conditions: a rule can only have 5 condition values, got 6",
            ]
        }
    }
}

import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// A generator that always returns the same value, for deterministic weighted picks.
struct FixedGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite struct ConditionMatcherTests {
    func request(
        _ method: HTTPMethod = .GET, _ uri: String = "/", headers: [(String, String)] = [], peer: String = "192.0.2.7"
    ) -> RequestFacts {
        RequestFacts(
            head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers)),
            peer: try! SocketAddress(ipAddress: peer, port: 5555)
        )
    }

    func matches(_ condition: RuleCondition, _ request: RequestFacts) -> Bool {
        ConditionMatcher(condition).matches(request)
    }

    @Test func hostHeader() {
        let condition = RuleCondition.hostHeader(["*.example.com", "exact.test"])
        #expect(matches(condition, request(headers: [("Host", "API.Example.com:8080")])))
        #expect(matches(condition, request(headers: [("Host", "exact.test")])))
        #expect(!matches(condition, request(headers: [("Host", "example.com")])))
        #expect(!matches(condition, request()))
    }

    @Test func pathPatternIgnoresQueryAndIsCaseSensitive() {
        let condition = RuleCondition.pathPattern(["/api/*", "/v?/status"])
        #expect(matches(condition, request(.GET, "/api/users?x=/other")))
        #expect(matches(condition, request(.GET, "/v2/status")))
        #expect(!matches(condition, request(.GET, "/API/users")))
        #expect(!matches(condition, request(.GET, "/other?p=/api/x")))
    }

    @Test func httpHeader() {
        let condition = RuleCondition.httpHeader(name: "user-agent", values: ["*mobile*"])
        #expect(matches(condition, request(headers: [("User-Agent", "Foo Mobile Safari")])))
        #expect(matches(condition, request(headers: [("User-Agent", "desktop"), ("user-agent", "MOBILE")])))
        #expect(!matches(condition, request(headers: [("User-Agent", "desktop")])))
        #expect(!matches(condition, request()))
    }

    @Test func httpRequestMethodIsExact() {
        let condition = RuleCondition.httpRequestMethod(["GET", "CUSTOM"])
        #expect(matches(condition, request(.GET)))
        #expect(matches(condition, request(.RAW(value: "CUSTOM"))))
        #expect(!matches(condition, request(.RAW(value: "get"))))
        #expect(!matches(condition, request(.POST)))
    }

    @Test func queryString() {
        let condition = RuleCondition.queryString([QueryStringPair(key: "Version", value: "v*"), QueryStringPair(value: "*special*")])
        #expect(matches(condition, request(.GET, "/?a=1&version=V2")))
        #expect(matches(condition, request(.GET, "/?anything=a%20SPECIAL%20one")))
        #expect(!matches(condition, request(.GET, "/?version=2")))
        #expect(!matches(condition, request(.GET, "/")))
    }

    @Test func sourceIPUsesPeerNotForwardedFor() {
        let condition = RuleCondition.sourceIP(["192.0.2.0/24", "2001:db8::/32"])
        #expect(matches(condition, request(peer: "192.0.2.200")))
        #expect(matches(condition, request(peer: "2001:db8::1")))
        #expect(!matches(condition, request(headers: [("X-Forwarded-For", "192.0.2.1")], peer: "10.0.0.1")))
    }
}

@Suite struct ListenerRouterTests {
    func request(_ uri: String, host: String = "app.example", method: HTTPMethod = .GET) -> RequestFacts {
        RequestFacts(
            head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: ["Host": host]),
            peer: try! SocketAddress(ipAddress: "10.0.0.9", port: 1000)
        )
    }

    let listener = ListenerConfiguration(
        port: 80,
        rules: [
            ListenerRule(priority: 20, conditions: [.pathPattern(["/api/*"])], actions: [.forward([WeightedTargetGroup(name: "api")])]),
            ListenerRule(priority: 10, conditions: [.pathPattern(["/api/admin*"]), .httpRequestMethod(["POST"])],
                         actions: [.fixedResponse(FixedResponseAction(statusCode: "403", contentType: "text/plain", messageBody: "no"))]),
            ListenerRule(priority: 30, conditions: [.hostHeader(["old.example"])],
                         actions: [.redirect(RedirectAction(statusCode: "HTTP_301", protocol: "HTTPS", host: "new.example", port: "443"))]),
        ],
        defaultActions: [.forward([WeightedTargetGroup(name: "web")])]
    )

    @Test func rulesByPriorityThenDefault() {
        var generator = FixedGenerator(value: 0)
        let router = ListenerRouter(listener)
        #expect(router.route(request("/api/admin/x", method: .POST), using: &generator)
                == RoutingDecision(outcome: .fixedResponse(statusCode: 403, contentType: "text/plain", body: "no"), rulePriority: 10))
        #expect(router.route(request("/api/admin/x"), using: &generator)
                == RoutingDecision(outcome: .forward(targetGroup: "api"), rulePriority: 20))
        #expect(router.route(request("/index.html"), using: &generator)
                == RoutingDecision(outcome: .forward(targetGroup: "web"), rulePriority: 0))
        #expect(router.route(request("/a/b?c=d", host: "OLD.example:80"), using: &generator)
                == RoutingDecision(outcome: .redirect(statusCode: 301, location: "https://new.example:443/a/b?c=d"), rulePriority: 30))
    }

    @Test func splitsTheRequestOnlyWhenSomethingLooksAtIt() {
        var generator = FixedGenerator(value: 0)
        var made = 0
        func counted(_ facts: RequestFacts) -> RequestFacts {
            made += 1
            return facts
        }
        let forwardOnly = ListenerRouter(ListenerConfiguration(port: 80, defaultActions: [.forward([WeightedTargetGroup(name: "web")])]))
        #expect(forwardOnly.route(counted(request("/")), using: &generator).outcome == .forward(targetGroup: "web"))
        #expect(made == 0)
        // Three rules, each condition looking: the facts are made once.
        #expect(ListenerRouter(listener).route(counted(request("/index.html")), using: &generator).outcome == .forward(targetGroup: "web"))
        #expect(made == 1)
    }

    @Test func weightedForwardPicksByWeight() {
        let router = ListenerRouter(ListenerConfiguration(
            port: 80,
            defaultActions: [.forward([WeightedTargetGroup(name: "blue", weight: 1), WeightedTargetGroup(name: "none", weight: 0),
                                       WeightedTargetGroup(name: "green", weight: 3)])]
        ))
        var low = FixedGenerator(value: 0)
        var high = FixedGenerator(value: UInt64.max)
        #expect(router.route(request("/"), using: &low).outcome == .forward(targetGroup: "blue"))
        #expect(router.route(request("/"), using: &high).outcome == .forward(targetGroup: "green"))

        var system = SystemRandomNumberGenerator()
        var counts: [String: Int] = [:]
        for _ in 0..<4000 {
            if case .forward(let group) = router.route(request("/"), using: &system).outcome { counts[group, default: 0] += 1 }
        }
        #expect(counts["none"] == nil)
        #expect((2600...3400).contains(counts["green"] ?? 0))
    }
}

@Suite struct RedirectLocationTests {
    let original = RedirectLocation.Original(protocol: "http", host: "shop.example", port: 80, path: "/cart/items", query: "id=3")

    @Test func defaultsKeepEveryComponent() {
        #expect(RedirectLocation.build(RedirectAction(statusCode: "HTTP_301", protocol: "HTTPS", port: "443"), for: original)
                == "https://shop.example:443/cart/items?id=3")
    }

    @Test func pathPlaceholderHasNoLeadingSlash() {
        let redirect = RedirectAction(statusCode: "HTTP_302", host: "www.#{host}", path: "/new/#{path}", query: "#{query}&from=#{port}")
        #expect(RedirectLocation.build(redirect, for: original) == "http://www.shop.example:80/new/cart/items?id=3&from=80")
    }

    @Test func emptyQueryDropsQuestionMark() {
        var noQuery = original
        noQuery.query = nil
        #expect(RedirectLocation.build(RedirectAction(statusCode: "HTTP_301", path: "/x"), for: noQuery) == "http://shop.example:80/x")
    }

    @Test func placeholdersExpandOnce() {
        var tricky = original
        tricky.host = "#{port}.example"
        #expect(RedirectLocation.expand("#{host}/#{unknown}/#{", ["host": tricky.host]) == "#{port}.example/#{unknown}/#{")
    }
}

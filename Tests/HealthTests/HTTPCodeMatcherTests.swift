import Testing

@testable import Health

@Suite struct HTTPCodeMatcherTests {
    @Test func singleListAndRange() throws {
        let single = try #require(HTTPCodeMatcher("200"))
        #expect(single.matches(200))
        #expect(!single.matches(201))

        let list = try #require(HTTPCodeMatcher("200,202"))
        #expect(list.matches(202))
        #expect(!list.matches(201))

        let range = try #require(HTTPCodeMatcher("200-299"))
        #expect(range.matches(250))
        #expect(!range.matches(300))

        let mixed = try #require(HTTPCodeMatcher("200, 301-302"))
        #expect(mixed.matches(302))
    }

    @Test(arguments: ["", "abc", "200-", "299-200", "2000", "200,,201", "+200"])
    func rejectsMalformed(text: String) {
        #expect(HTTPCodeMatcher(text) == nil)
    }

    @Test func allowedCodesDependOnTheLoadBalancerType() {
        #expect(HTTPCodeMatcher("200-499", for: .application) != nil)
        #expect(HTTPCodeMatcher("200-500", for: .application) == nil)
        #expect(HTTPCodeMatcher("200-599", for: .network) != nil)
        #expect(HTTPCodeMatcher("600", for: .network) == nil)
        #expect(HTTPCodeMatcher("100", for: .network) == nil && HTTPCodeMatcher("100", for: .application) == nil)
        #expect(HTTPCodeMatcher("200,503")?.firstDisallowedCode(for: .application) == 503)
    }
}

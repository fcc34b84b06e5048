import Testing

@testable import L7Proxy

@Suite struct WildcardPatternTests {
    @Test(arguments: [
        ("*.example.com", "api.example.com", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", ".example.com", true),
        ("api?.example.com", "api1.example.com", true),
        ("api?.example.com", "api.example.com", false),
        ("*", "", true),
        ("", "", true),
        ("", "a", false),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
        ("*ab", "aaab", true),
        ("**", "x", true),
        ("exact", "exact", true),
        ("exact", "exactly", false),
    ])
    func caseSensitiveMatching(pattern: String, text: String, expected: Bool) {
        #expect(WildcardPattern(pattern, caseInsensitive: false).matches(text) == expected)
    }

    @Test func caseHandling() {
        #expect(WildcardPattern("*.Example.COM", caseInsensitive: true).matches("API.example.com"))
        #expect(!WildcardPattern("/Img/*", caseInsensitive: false).matches("/img/a.png"))
        #expect(WildcardPattern("/img/*", caseInsensitive: false).matches("/img/a.png"))
    }

    @Test func matchesSubstrings() {
        let text = "xx/api/v1yy"
        let inner = text.dropFirst(2).dropLast(2)
        #expect(WildcardPattern("/api/*", caseInsensitive: false).matches(inner))
    }

    @Test func queryStringEscapesMatchLiteralWildcards() {
        let literal = WildcardPattern(#"a\*b\?"#, caseInsensitive: true, escapes: true)
        #expect(literal.matches("a*b?"))
        #expect(literal.matches("A*B?"))
        #expect(!literal.matches("axxbx"))
        #expect(WildcardPattern(#"\**"#, caseInsensitive: true, escapes: true).matches("*anything"))
        #expect(!WildcardPattern(#"\**"#, caseInsensitive: true, escapes: true).matches("anything"))
        #expect(WildcardPattern(#"a\b"#, caseInsensitive: true, escapes: true).matches(#"a\b"#))
        // Without escapes (other conditions) a backslash is itself and the wildcard stays one.
        #expect(WildcardPattern(#"a\*"#, caseInsensitive: true).matches(#"a\xyz"#))
    }
}

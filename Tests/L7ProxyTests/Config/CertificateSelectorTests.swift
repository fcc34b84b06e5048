import L7Proxy
import Testing

/// SNI picks a listener's certificate as AWS does: exact name, then wildcard, then the default.
@Suite struct CertificateSelectorTests {
    let selector = CertificateSelector(domainNames: [
        ["default.example.test"],
        ["*.example.test"],
        ["www.example.test", "example.test"],
        ["*.api.example.test"],
    ])

    @Test func anExactNameWinsOverAnEarlierWildcard() {
        #expect(selector.index(for: "www.example.test") == 2)
        #expect(selector.index(for: "WWW.Example.Test.") == 2)
        #expect(selector.index(for: "example.test") == 2)
    }

    @Test func aWildcardCoversOneLabel() {
        #expect(selector.index(for: "shop.example.test") == 1)
        #expect(selector.index(for: "v1.api.example.test") == 3)
        #expect(selector.index(for: "a.b.c.example.test") == 0)
    }

    @Test func noMatchOrNoServerNameGetsTheDefault() {
        #expect(selector.index(for: "other.test") == 0)
        #expect(selector.index(for: nil) == 0)
        #expect(selector.index(for: "") == 0)
    }

    @Test func policiesAreAWSNames() {
        #expect(SSLPolicy.named(SSLPolicy.defaultName)?.minimumVersion == .tls1_2)
        #expect(SSLPolicy.named("ELBSecurityPolicy-TLS13-1-3-2021-06")?.minimumVersion == .tls1_3)
        #expect(SSLPolicy.named("ELBSecurityPolicy-TLS-1-2-2017-01")?.maximumVersion == .tls1_2)
        #expect(SSLPolicy.named("ELBSecurityPolicy-Unknown") == nil)
    }
}

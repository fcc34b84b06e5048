import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct FillerRequestTests {
    func head(_ uri: String, _ method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri)
    }

    @Test func asksForTheLengthInItsPathWhateverTheMethodOrQuery() {
        #expect(FillerRequest.length(of: head("/bytes/65536")) == 65536)
        #expect(FillerRequest.length(of: head("/bytes/2?size=9", .POST)) == 2)
        #expect(FillerRequest.length(of: head("/bytes/0")) == 0)
    }

    @Test func otherPathsAndLengthsBeyondTheLimitAreNotFillers() {
        #expect(FillerRequest.length(of: head("/health")) == nil)
        #expect(FillerRequest.length(of: head("/bytes/")) == nil)
        #expect(FillerRequest.length(of: head("/bytes/-1")) == nil)
        #expect(FillerRequest.length(of: head("/bytes/12kb")) == nil)
        #expect(FillerRequest.length(of: head("/bytes/\(FillerRequest.maxLength + 1)")) == nil)
        #expect(FillerRequest.length(of: head("/bytes/\(FillerRequest.maxLength)")) == FillerRequest.maxLength)
    }
}

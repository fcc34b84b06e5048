import Testing
import Kernel

@Suite struct IPv4Tests {
    @Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255"])
    func parsesDottedQuads(_ text: String) throws {
        #expect(try #require(IPv4Address(text)).description == text)
    }

    @Test(arguments: ["10.0.0", "10.0.0.256", "10.0.0.01", "a.b.c.d", "10..0.1", "", "1.2.3.4.5"])
    func rejectsMalformedAddresses(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func networksContainAndOverlap() throws {
        let vpc = try #require(IPv4Network("10.0.0.0/16"))
        let subnet = try #require(IPv4Network("10.0.1.0/24"))
        #expect(vpc.contains(subnet))
        #expect(!subnet.contains(vpc))
        #expect(vpc.overlaps(subnet) && subnet.overlaps(vpc))
        #expect(!subnet.overlaps(try #require(IPv4Network("10.0.2.0/24"))))
        #expect(subnet.address(at: 1) == IPv4Address(10, 0, 1, 1))
        #expect(subnet.broadcast == IPv4Address(10, 0, 1, 255))
    }

    @Test func rejectsHostBitsAndBadPrefixes() {
        #expect(IPv4Network("10.0.1.5/24") == nil)
        #expect(IPv4Network("10.0.0.0/33") == nil)
        #expect(IPv4Network("10.0.0.0") == nil)
    }
}

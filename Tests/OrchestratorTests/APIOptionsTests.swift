@testable import Orchestrator
import AWSAPI
import Testing

/// The API's options and EC2 filter matching.
@Suite struct APIOptionsTests {
    @Test func listenAddressesAndOff() throws {
        let options = try APIOptions(listen: "127.0.0.1:0")
        #expect(options.host == "127.0.0.1" && options.port == 0)
        #expect(options.arguments == ["--api-listen", "127.0.0.1:0", "--api-auth", "sigv4"])
        #expect(try APIOptions(listen: "off", requireSignature: false).arguments == ["--api-listen", "off", "--api-auth", "none"])
        for bad in ["4566", ":4566", "localhost:99999", "host:port"] {
            #expect(throws: APIOptionsError.self) { try APIOptions(listen: bad) }
        }
    }

    @Test func ec2FiltersMatchWildcardsAndRefuseUnknownNames() throws {
        #expect(EC2Filter.match("10.0.*", "10.0.1.0/24"))
        #expect(EC2Filter.match("subnet-1?", "subnet-1a"))
        #expect(!EC2Filter.match("subnet-1?", "subnet-1ab"))
        let parameters = try QueryParameters(formEncoded: "Filter.1.Name=tag%3AName&Filter.1.Value.1=ma*&Filter.2.Name=state&Filter.2.Value.1=available")
        let filters = try EC2Filter.of(parameters, known: ["state", "tag:"])
        #expect(EC2Filter.matches(filters, ["tag:Name": ["main"], "state": ["available"]]))
        #expect(!EC2Filter.matches(filters, ["tag:Name": ["other"], "state": ["available"]]))
        #expect(throws: APIError("InvalidParameterValue", "The filter 'state' is invalid")) { try EC2Filter.of(parameters, known: ["tag:"]) }
    }
}

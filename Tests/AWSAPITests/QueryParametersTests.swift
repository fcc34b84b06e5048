import AWSAPI
import Testing

/// Form decoding and the list conventions of the Query and EC2 protocols.
@Suite struct QueryParametersTests {
    @Test func decodesFormsAndQueryProtocolLists() throws {
        let parameters = try QueryParameters(formEncoded: "Action=DescribeTargetGroups&Names.member.2=b%2Fc&Names.member.1=a+b&Empty=")
        #expect(parameters["Action"] == "DescribeTargetGroups")
        #expect(parameters.members("Names") == ["a b", "b/c"])
        #expect(parameters["Empty"] == "")
        #expect(parameters.members("Other").isEmpty)
    }

    @Test func decodesEC2ListsAndStructures() throws {
        let parameters = try QueryParameters(formEncoded: "VpcId.1=vpc-1&VpcId.10=vpc-10&VpcId.2=vpc-2&Filter.2.Name=state&Filter.2.Value.1=available"
            + "&Filter.1.Name=tag%3AName&Filter.1.Value.1=main&Filter.1.Value.2=other")
        #expect(parameters.ec2List("VpcId") == ["vpc-1", "vpc-2", "vpc-10"])
        let filters = parameters.structures("Filter.")
        #expect(filters.map { $0["Name"] } == ["tag:Name", "state"])
        #expect(filters[0].ec2List("Value") == ["main", "other"])
    }

    @Test func refusesBrokenPercentEncoding() {
        #expect(throws: APIError.self) { try QueryParameters(formEncoded: "Action=%ZZ") }
    }
}

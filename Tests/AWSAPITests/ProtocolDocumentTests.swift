@testable import AWSAPI
import Foundation
import Testing

/// Response and error documents in each protocol's shape, and the request path through the
/// processor.
@Suite struct ProtocolDocumentTests {
    @Test func queryProtocolWrapsTheResultAndEscapes() {
        let xml = AWSService.elasticLoadBalancingV2.response(
            action: "DescribeLoadBalancers", result: [.members("LoadBalancers", [[.text("LoadBalancerName", "a<b&\"c\"")]])],
            requestId: "r-1")
        #expect(xml == #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + #"<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">"#
            + "<DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerName>a&lt;b&amp;&quot;c&quot;</LoadBalancerName>"
            + "</member></LoadBalancers></DescribeLoadBalancersResult><ResponseMetadata><RequestId>r-1</RequestId>"
            + "</ResponseMetadata></DescribeLoadBalancersResponse>")
    }

    @Test func ec2ProtocolPutsTheRequestIdFirstAndErrorsInResponse() {
        let xml = AWSService.ec2.response(action: "DescribeVpcs", result: [.items("vpcSet", [[.text("vpcId", "vpc-1")]])], requestId: "r-2")
        #expect(xml.hasSuffix(#"<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId>"#
            + "<vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>"))
        let error = AWSService.ec2.errorResponse(APIError("InvalidVpcID.NotFound", "The vpc ID 'vpc-9' does not exist"), requestId: "r-3")
        #expect(error.hasSuffix("<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID &apos;vpc-9&apos; does not exist"
            + "</Message></Error></Errors><RequestID>r-3</RequestID></Response>"))
    }

    struct EchoBackend: APIBackend {
        func handle(_ call: APICall) async throws(APIError) -> [XMLNode] {
            guard call.action == "Echo" else { throw .invalidAction(call.action, service: call.service.displayName) }
            return [.text("Service", call.service.rawValue), .text("Name", call.parameters["Name"] ?? "-")]
        }
    }

    @Test func processorFindsTheServiceByVersionWithoutAuthentication() async {
        let processor = APIRequestProcessor(authentication: .none, backend: EchoBackend())
        let request = SignedRequest(method: "POST", path: "/", query: "", headers: [],
                                    body: Array("Action=Echo&Version=2016-11-15&Name=x".utf8))
        let (status, body) = await processor.process(request)
        #expect(status == 200)
        #expect(body.contains("<Service>ec2</Service><Name>x</Name>"))
        let unknown = await processor.process(SignedRequest(method: "POST", path: "/", query: "", headers: [],
                                                            body: Array("Action=CreateLoadBalancer&Version=2015-12-01".utf8)))
        #expect(unknown.status == 400)
        #expect(unknown.body.contains("<Code>InvalidAction</Code><Message>lbnet does not implement the ELBv2 action CreateLoadBalancer yet"))
    }

    @Test func processorRefusesUnsignedRequestsWhenSigningIsOn() async {
        let verifier = SignatureV4Verifier(credentials: .generate(), region: "us-east-1")
        let processor = APIRequestProcessor(authentication: .signatureV4(verifier), backend: EchoBackend())
        let (status, body) = await processor.process(SignedRequest(method: "POST", path: "/", query: "", headers: [],
                                                                   body: Array("Action=Echo&Version=2015-12-01".utf8)))
        #expect(status == 403)
        #expect(body.contains("<Code>MissingAuthenticationToken</Code>"))
    }
}

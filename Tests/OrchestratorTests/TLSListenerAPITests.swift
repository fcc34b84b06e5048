@testable import Orchestrator
import AWSAPI
import Foundation
import Testing

/// `CreateListener` and `ModifyListener` with `Protocol=TLS` on a network load balancer, as the
/// awscli and terraform send them: certificates by ARN, `SslPolicy`, `AlpnPolicy.member.1`;
/// `DescribeListeners` returns them; an unknown ALPN policy gets AWS's `ALPNPolicyNotFound`.
struct TLSListenerAPITests {
    static let yaml = NodeTerminatorTests.yaml

    @Test func tlsListenersTakeCertificatesAndPolicies() async throws {
        let api = try APIHarness(yaml: Self.yaml)
        let identity = AWSIdentity()
        let balancer = identity.loadBalancerArn("nlb", type: .network)
        let created = try await ListenerPortChangeTests.call(api, "CreateListener", [
            "LoadBalancerArn": balancer, "Protocol": "TLS", "Port": "9443",
            "Certificates.member.1.CertificateArn": identity.certificateArn("web"),
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06", "AlpnPolicy.member.1": "HTTP2Only",
            "DefaultActions.member.1.Type": "forward", "DefaultActions.member.1.TargetGroupArn": identity.targetGroupArn("web"),
        ])
        #expect(ListenerPortChangeTests.texts("Protocol", in: created) == ["TLS"], "\(created)")
        #expect(ListenerPortChangeTests.texts("SslPolicy", in: created) == ["ELBSecurityPolicy-TLS13-1-3-2021-06"], "\(created)")
        #expect(created.contains("<AlpnPolicy><member>HTTP2Only</member></AlpnPolicy>"), "\(created)")
        #expect(ListenerPortChangeTests.texts("CertificateArn", in: created) == [identity.certificateArn("web")], "\(created)")
        try await api.reconciled()
        let listener = try #require(api.file?.loadBalancers.first?.listeners.first { $0.port == 9443 })
        #expect(listener.protocol == .tls && listener.alpnPolicy == "HTTP2Only" && listener.certificates == ["web"])

        // Described with AWS's default ALPN policy when none was given.
        let described = try await ListenerPortChangeTests.call(api, "DescribeListeners", ["LoadBalancerArn": balancer])
        #expect(described.contains("<AlpnPolicy><member>None</member></AlpnPolicy>"), "\(described)")

        // An unknown policy is refused with AWS's code and changes nothing.
        let arn = identity.listenerArn(try #require(api.file?.loadBalancers.first), listener)
        let refused = await api.call(.elasticLoadBalancingV2, "ModifyListener", ["ListenerArn": arn, "AlpnPolicy.member.1": "HTTP3"])
        #expect(refused.failure?.code == "ALPNPolicyNotFound")
        // Back to TCP: the certificates and policies go, as on AWS.
        _ = try await ListenerPortChangeTests.call(api, "ModifyListener", ["ListenerArn": arn, "Protocol": "TCP"])
        try await api.reconciled()
        let plain = try #require(api.file?.loadBalancers.first?.listeners.first { $0.port == 9443 })
        #expect(plain.protocol == .tcp && plain.alpnPolicy == nil && plain.certificates.isEmpty && plain.sslPolicy == nil)
    }
}

/// `ProtocolVersion` of ALB target groups, in the state file and through `CreateTargetGroup`:
/// `HTTP1` (the default) and `HTTP2` are served, `GRPC` is refused by name, TCP groups have none.
struct TargetGroupProtocolVersionTests {
    static let yaml = ALBFixtures.stateFile

    @Test func http2GroupsReachTheProxyAndOthersAreRefusedByName() throws {
        let http2 = Self.yaml.replacingOccurrences(of: "    protocol: HTTP\n    port: 8080\n", with: "    protocol: HTTP\n    protocolVersion: HTTP2\n    port: 8080\n")
        #expect(http2 != Self.yaml)
        let model = try DeploymentModel.resolve(http2, source: "t.yaml", record: ElasticIPRecord())
        let groups = try model.applicationLoadBalancerNodes()[0].configuration.targetGroups
        #expect(groups.contains { $0.protocolVersion == .http2 })
        #expect(try StateFileLoader.parse(StateFileEncoder.yaml(model.file), source: "again").targetGroups.contains { $0.protocolVersion == "HTTP2" })

        let grpc = http2.replacingOccurrences(of: "protocolVersion: HTTP2", with: "protocolVersion: GRPC")
        do {
            _ = try DeploymentModel.resolve(grpc, source: "t.yaml", record: ElasticIPRecord())
            Issue.record("GRPC was accepted")
        } catch {
            #expect(String(describing: error).contains("protocolVersion: lbnet does not implement protocol version GRPC"), "\(error)")
        }
    }

    @Test func createTargetGroupTakesHTTP2AndDescribesIt() async throws {
        let api = try APIHarness(yaml: Self.yaml)
        let vpc = AWSIdentity().vpcId("main")
        let created = try await ListenerPortChangeTests.call(api, "CreateTargetGroup", [
            "Name": "h2", "Protocol": "HTTPS", "Port": "8443", "VpcId": vpc, "ProtocolVersion": "HTTP2",
        ])
        #expect(ListenerPortChangeTests.texts("ProtocolVersion", in: created) == ["HTTP2"], "\(created)")
        try await api.reconciled()
        #expect(api.file?.targetGroups.first { $0.name == "h2" }?.protocolVersion == "HTTP2")
        let refused = await api.call(.elasticLoadBalancingV2, "CreateTargetGroup", [
            "Name": "grpc", "Protocol": "HTTP", "Port": "8080", "VpcId": vpc, "ProtocolVersion": "GRPC",
        ])
        guard case .failure(let error) = refused else {
            Issue.record("GRPC was accepted")
            return
        }
        #expect(error.code == "ValidationError" && error.message.contains("protocol version GRPC"), "\(error)")
        #expect(api.file?.targetGroups.contains { $0.name == "grpc" } == false)
    }
}

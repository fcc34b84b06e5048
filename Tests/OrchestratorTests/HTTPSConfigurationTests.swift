import L7Proxy
@testable import Orchestrator
import Testing

/// What the orchestrator hands an ALB node for HTTPS listeners and HTTPS target groups.
@Suite struct HTTPSConfigurationTests {
    static let yaml = ALBFixtures.network + """
        certificates:
          - {name: web, domainNames: [www.example.test]}
        loadBalancers:
          - name: web-alb
            type: application
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: HTTPS, port: 443, certificates: [web], defaultActions: [{type: forward, targetGroupName: secure}]}
        targetGroups:
          - {name: secure, protocol: HTTPS, port: 8443, vpc: main, targets: [{id: web-a1}]}

        """

    @Test func httpsListenersAndGroupsKeepTheirProtocolPolicyAndCertificates() throws {
        let node = try #require(try ALBFixtures.nodes(Self.yaml).first)
        let listener = try #require(node.configuration.listeners.first)
        #expect(listener.protocol == .https)
        #expect(listener.sslPolicy == SSLPolicy.defaultName)
        #expect(listener.certificates == ["web"])
        let group = try #require(node.configuration.targetGroups.first)
        #expect(group.protocol == .https)
        #expect(group.healthCheck.protocol == .https)
        #expect(node.configuration.certificates.isEmpty, "the deployment adds the material, not the model")
    }
}

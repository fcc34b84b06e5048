@testable import Orchestrator
import AWSAPI
import Foundation
import Testing

/// `ModifyListener` with a new `Port`, as terraform sends it for a changed `port`: the listener
/// and its rules keep their ARNs (AWS keeps a listener's ARN), the state file records the
/// listener's `id`, and that `id` survives the file's round trip.
struct ListenerPortChangeTests {
    static func call(_ api: APIHarness, _ action: String, _ parameters: [String: String]) async throws -> String {
        let result = try await api.backend.handle(APICall(service: .elasticLoadBalancingV2, action: action,
                                                          parameters: QueryParameters(parameters), requestId: "test"))
        return AWSService.elasticLoadBalancingV2.response(action: action, result: result, requestId: "test")
    }

    static func texts(_ field: String, in document: String) -> [String] {
        document.components(separatedBy: "<\(field)>").dropFirst().compactMap { $0.components(separatedBy: "</\(field)>").first }
    }

    @Test func aNewPortKeepsTheListenerAndRuleARNs() async throws {
        let api = try APIHarness(yaml: ALBFixtures.stateFile)
        let balancer = AWSIdentity().loadBalancerArn("web-alb", type: .application)
        let before = try await Self.call(api, "DescribeListeners", ["LoadBalancerArn": balancer])
        let listener = try #require(Self.texts("ListenerArn", in: before).first)
        let rulesBefore = Self.texts("RuleArn", in: try await Self.call(api, "DescribeRules", ["ListenerArn": listener]))
        #expect(!rulesBefore.isEmpty)

        let modified = try await Self.call(api, "ModifyListener", ["ListenerArn": listener, "Port": "8081"])
        #expect(Self.texts("ListenerArn", in: modified) == [listener] && Self.texts("Port", in: modified) == ["8081"], "\(modified)")
        try await api.reconciled()
        let after = try await Self.call(api, "DescribeListeners", ["ListenerArns.member.1": listener])
        #expect(Self.texts("Port", in: after) == ["8081"], "\(after)")
        #expect(Self.texts("RuleArn", in: try await Self.call(api, "DescribeRules", ["ListenerArn": listener])) == rulesBefore)

        // The id is in the file, and a file written back keeps it.
        let file = try #require(api.file)
        let id = try #require(file.loadBalancers.first { $0.name == "web-alb" }?.listeners.first { $0.port == 8081 }?.id)
        #expect(listener.hasSuffix("/\(id)"))
        let reloaded = try StateFileLoader.parse(StateFileEncoder.yaml(file), source: "exported")
        #expect(reloaded.loadBalancers.first { $0.name == "web-alb" }?.listeners.first { $0.port == 8081 }?.id == id)

        // A port that is no number, and an id that is no ARN part, are refused.
        await #expect(throws: APIError.self) { try await Self.call(api, "ModifyListener", ["ListenerArn": listener, "Port": "eighty"]) }
        let yaml = ALBFixtures.stateFile.replacingOccurrences(of: "    port: 80\n", with: "    port: 80\n    id: nothex\n")
        #expect(yaml != ALBFixtures.stateFile)
        #expect(throws: StateFileError.self) { try StateFileLoader.parse(yaml, source: "state.yaml") }
    }
}

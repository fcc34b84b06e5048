import L7Proxy
import Testing
@testable import Orchestrator

/// `routing.http.desync_mitigation_mode` and `routing.http.drop_invalid_header_fields.enabled`
/// reach every node's proxy configuration; other values are refused by name.
@Suite struct RequestHandlingAttributeTests {
    func withAttributes(_ attributes: String) -> String {
        ALBFixtures.stateFile.replacingOccurrences(of: "idle_timeout.timeout_seconds: \"120\"",
                                                   with: "idle_timeout.timeout_seconds: \"120\", \(attributes)")
    }

    @Test func defaultsAreAWSs() throws {
        let nodes = try ALBFixtures.nodes()
        #expect(nodes.allSatisfy { $0.configuration.requestHandling == RequestHandlingConfiguration() })
        #expect(nodes[0].configuration.requestHandling.desyncMitigationMode == .defensive)
    }

    @Test func eachModeAndTheDropSettingReachTheNodes() throws {
        for mode in DesyncMitigationMode.allCases {
            let yaml = withAttributes("routing.http.desync_mitigation_mode: \(mode.rawValue), "
                + "routing.http.drop_invalid_header_fields.enabled: \"true\"")
            let nodes = try ALBFixtures.nodes(yaml)
            #expect(nodes.allSatisfy {
                $0.configuration.requestHandling == RequestHandlingConfiguration(desyncMitigationMode: mode, dropInvalidHeaderFields: true)
            })
        }
    }

    @Test func otherValuesAreRefusedByName() {
        for (key, value) in [("routing.http.desync_mitigation_mode", "paranoid"), ("routing.http.drop_invalid_header_fields.enabled", "\"yes\"")] {
            #expect {
                try ALBFixtures.nodes(withAttributes("\(key): \(value)"))
            } throws: { error in
                "\(error)".contains(key)
            }
        }
    }
}

import Foundation
import L7Proxy
import Orchestrator
import Testing

/// An ALB over two AZs for the kernel tests: `web` (web-a1, web-b1) by default, `api` (api-a1,
/// api-b1) by host header and path, a redirect and a fixed response; a `client` instance inside
/// the VPC sends the requests. Health checks are as quick as AWS allows (interval 5 s, timeout
/// 2 s, thresholds 2).
enum ALBScenario {
    static let nodeA = "10.0.1.254"
    static let nodeB = "10.0.2.254"
    static let client = "client"
    static let clientAddress = "10.0.1.13"

    static func yaml(defaultAction: String = "{type: forward, targetGroupName: web}", extraRules: String = "") -> String {
        """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: api-a1, subnet: subnet-1a}
          - {name: client, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}
          - {name: api-b1, subnet: subnet-1b}
        loadBalancers:
          - name: web-alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - protocol: HTTP
                port: 80
                defaultActions: [\(defaultAction)]
                rules:
                  - priority: 10
                    conditions: [{field: host-header, values: [api.example.com]}]
                    actions: [{type: forward, targetGroupName: api}]
                  - priority: 20
                    conditions: [{field: path-pattern, values: ["/api/*"]}]
                    actions: [{type: forward, targetGroupName: api}]
                  - priority: 30
                    conditions: [{field: path-pattern, values: ["/old/*"]}]
                    actions: [{type: redirect, redirectConfig: {path: "/new/#{path}", statusCode: HTTP_301}}]
                  - priority: 40
                    conditions: [{field: path-pattern, values: [/maintenance]}]
                    actions:
                      - type: fixed-response
                        fixedResponseConfig: {statusCode: 503, contentType: text/plain, messageBody: down for maintenance}
        \(extraRules)
        targetGroups:
          - name: web
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
            targets: [{id: web-a1}, {id: web-b1}]
          - name: api
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
            targets: [{id: api-a1}, {id: api-b1}]

        """
    }

    /// One HTTP exchange from the client instance.
    struct Response {
        let status: Int
        let body: String
        let location: String

        /// The answering instance, when a target answered.
        var instance: String? { (try? targetAnswer(body))?["instance"] as? String }
        var json: [String: Any] { (try? targetAnswer(body)) ?? [:] }
    }

    static func request(_ topology: TestTopology, _ address: String, path: String = "/", host: String? = nil) async throws -> Response {
        let marker = "\n--lbnet-test--"
        let result = try await topology.exec(client, ["curl", "-sS", "--max-time", "10", "-w", "\(marker)%{http_code} %{redirect_url}"]
            + (host.map { ["-H", "Host: \($0)"] } ?? []) + ["http://\(address)\(path)"])
        let parts = result.stdout.components(separatedBy: marker)
        let trailer = (parts.last ?? "").split(separator: " ", maxSplits: 1).map(String.init)
        return Response(status: Int(trailer.first ?? "") ?? 0, body: parts.dropLast().joined(separator: marker),
                        location: trailer.count > 1 ? trailer[1] : "")
    }

    /// The state of `target` in group `group` as node `node`'s proxy reports it (control socket).
    static func targetState(_ topology: TestTopology, node: String, group: String, target: String) -> (state: String, reason: String?)? {
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: topology.stateDirectory))
        guard let entry = store.report(node: node)?.targets.first(where: { $0.targetGroup == group && $0.id == target }) else { return nil }
        return (entry.state.rawValue, entry.reason?.rawValue)
    }

    static let nodes = ["web-alb-local-1a", "web-alb-local-1b"]

    /// Whether every node reports `target` of `group` in `state`.
    static func allNodes(_ topology: TestTopology, see target: String, of group: String, as state: String) -> Bool {
        nodes.allSatisfy { targetState(topology, node: $0, group: group, target: target)?.state == state }
    }
}

/// A command running in the background while a test does something else; its standard output
/// goes to a file that `finish()` returns.
final class BackgroundCommand {
    private let child: ChildProcess
    private let output: String

    init(_ arguments: [String]) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-bg-\(UUID().uuidString)").path
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        child = try ChildProcess(arguments, stdout: fd)
    }

    /// Waits (at most `timeout`) and returns what the command printed.
    func finish(timeout: TimeInterval = 60) async -> String {
        await child.wait(timeout: timeout)
        defer { try? FileManager.default.removeItem(atPath: output) }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}

import Foundation
@testable import Orchestrator

/// State files and helpers shared by the ALB unit tests.
enum ALBFixtures {
    static let network = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}
          - {name: api-a1, subnet: subnet-1a, port: 9000}

        """

    static let loadBalancer = """
        loadBalancers:
          - name: web-alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            attributes: {idle_timeout.timeout_seconds: "120"}
            listeners:
              - protocol: HTTP
                port: 80
                defaultActions: [{type: forward, targetGroupName: web}]
                rules:
                  - priority: 20
                    conditions: [{field: path-pattern, values: ["/api/*"]}]
                    actions:
                      - type: forward
                        forwardConfig:
                          targetGroups: [{targetGroupName: api, weight: 90}, {targetGroupName: web, weight: 10}]
                  - priority: 10
                    conditions:
                      - {field: host-header, values: [api.example.com, "*.api.example.com"]}
                      - {field: http-header, httpHeaderName: X-Canary, values: ["1"]}
                    actions: [{type: forward, targetGroupName: api}]
                  - priority: 30
                    conditions: [{field: path-pattern, values: ["/old/*"]}]
                    actions: [{type: redirect, redirectConfig: {path: "/new/#{path}", statusCode: HTTP_301}}]
                  - priority: 40
                    conditions:
                      - {field: query-string, values: [{key: debug, value: "1"}, {value: trace}]}
                      - {field: source-ip, values: [10.0.0.0/16]}
                      - {field: http-request-method, values: [GET]}
                    actions:
                      - type: fixed-response
                        fixedResponseConfig: {statusCode: 404, contentType: text/plain, messageBody: nope}
                  - priority: 50
                    conditions: [{field: path-pattern, values: ["/legacy/*"]}]
                    actions: [{type: forward, targetGroupName: legacy}]

        """

    static let targetGroups = """
        targetGroups:
          - name: spare
            protocol: HTTP
            port: 8080
            vpc: main
          - name: web
            protocol: HTTP
            port: 8080
            vpc: main
            targets: [{id: web-a1}, {id: web-b1}]
          - name: api
            protocol: HTTP
            port: 9000
            vpc: main
            healthCheck: {path: /health, port: 9001, intervalSeconds: 10, timeoutSeconds: 3,
                          healthyThresholdCount: 3, unhealthyThresholdCount: 4, matcher: "200-299"}
            attributes:
              load_balancing.algorithm.type: least_outstanding_requests
              load_balancing.cross_zone.enabled: "false"
              deregistration_delay.timeout_seconds: "30"
            targets: [{id: api-a1}]
          - name: legacy
            targetType: ip
            protocol: HTTP
            port: 8081
            vpc: main
            targets: [{id: 10.0.2.50}, {id: 10.0.1.60, port: 9090}]

        """

    static let stateFile = network + loadBalancer + targetGroups

    static func model(_ yaml: String = stateFile) throws -> DeploymentModel {
        try DeploymentModel.resolve(yaml, source: "state.yaml", record: ElasticIPRecord())
    }

    static func nodes(_ yaml: String = stateFile) throws -> [ApplicationLoadBalancerNode] {
        try model(yaml).applicationLoadBalancerNodes()
    }

    /// A fresh directory under /tmp, removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lbnet-alb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

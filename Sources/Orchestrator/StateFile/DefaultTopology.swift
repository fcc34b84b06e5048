extension StateFileLoader {
    /// The topology lbnet builds when no state file is given, the scenario lbnet exists for: one
    /// VPC with two subnets in two AZs and two instances running the built-in target server in
    /// each; an internal Application Load Balancer in both AZs forwarding HTTP port 80 to them;
    /// and in front of it an internet-facing Network Load Balancer in both AZs (one Elastic IP
    /// each) whose TCP:80 listener forwards to the ALB (a target group of type `alb`). Cross-zone
    /// load balancing is off in both, as AWS recommends they match: each AZ serves its own.
    /// Its health checks are short (5 s apart, healthy after 2), so `up --wait` returns in
    /// seconds; AWS's defaults (30 s × 5) stay the defaults of keys a file leaves out. Security
    /// groups as a user on AWS declares them: the ALB's listener is open (the NLB in front has
    /// none), the instances take port 8080 from the ALB and from each other.
    public static let defaultTopologyYAML = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - name: subnet-1a
                az: local-1a
                cidr: 10.0.1.0/24
              - name: subnet-1b
                az: local-1b
                cidr: 10.0.2.0/24
        instances:
          - name: web-a1
            subnet: subnet-1a
            securityGroups: [web-sg]
          - name: web-a2
            subnet: subnet-1a
            securityGroups: [web-sg]
          - name: web-b1
            subnet: subnet-1b
            securityGroups: [web-sg]
          - name: web-b2
            subnet: subnet-1b
            securityGroups: [web-sg]
        loadBalancers:
          - name: web-nlb
            type: network
            scheme: internet-facing
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - protocol: TCP
                port: 80
                defaultActions:
                  - type: forward
                    targetGroupName: web-alb-target
          - name: web-alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            securityGroups: [web-alb-sg]
            listeners:
              - protocol: HTTP
                port: 80
                defaultActions:
                  - type: forward
                    targetGroupName: web-instances
        targetGroups:
          - name: web-alb-target
            targetType: alb
            protocol: TCP
            port: 80
            vpc: main
            healthCheck:
              intervalSeconds: 5
              timeoutSeconds: 2
              healthyThresholdCount: 2
            targets:
              - id: web-alb
          - name: web-instances
            targetType: instance
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck:
              path: /health
              intervalSeconds: 5
              timeoutSeconds: 2
              healthyThresholdCount: 2
            attributes:
              load_balancing.cross_zone.enabled: "false"
            targets:
              - id: web-a1
              - id: web-a2
              - id: web-b1
              - id: web-b2
        securityGroups:
          - name: web-alb-sg
            vpc: main
            description: the ALB's listener, for the clients the NLB brings
            ingress:
              - {ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}
          - name: web-sg
            vpc: main
            description: the target servers, reached through the ALB and from each other
            ingress:
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: web-alb-sg}
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: web-sg}

        """
}

extension StateFileLoader {
    /// The topology lbnet builds when no state file is given: one VPC with two subnets in two AZs
    /// and two instances running the built-in target server in each.
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
          - name: web-a2
            subnet: subnet-1a
          - name: web-b1
            subnet: subnet-1b
          - name: web-b2
            subnet: subnet-1b

        """
}

import Kernel

/// A VPC router's 1:1 NAT for Elastic IPs, through `GatewayNATTable` (`table ip lbnet_gateway`).
enum GatewayNAT {
    static func table(_ spec: GatewayNATSpec) -> ElasticIPNATSpec {
        ElasticIPNATSpec(internetInterface: spec.interface, mappings: spec.mappings.map {
            ElasticIPMapping(elasticIP: $0.key, privateAddress: $0.value)
        }.sorted())
    }
}

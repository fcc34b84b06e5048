/// Where a relaying listener (an NLB node's terminator: a `TLS` listener, or a `TCP` listener
/// whose target group takes proxy protocol) sends each connection: an address and port that the
/// node's kernel datapath balances across the target group, with a firewall mark on the socket
/// by which the datapath tells the terminator's connections from the clients' own; `targetTLS`
/// for `TLS` target groups, which get a TLS session of their own (their certificates are not
/// verified, as on AWS); `proxyProtocol` for groups with `proxy_protocol_v2.enabled`, whose
/// targets get a PROXY protocol v2 header before the connection's first byte.
public struct RelayConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, port, mark, targetTLS, proxyProtocol, vpcEndpoints, transparent
    }

    public var address: String
    public var port: Int
    /// `SO_MARK` of the relay's sockets (needs `CAP_NET_ADMIN`); nil leaves them unmarked.
    public var mark: UInt32?
    public var targetTLS: Bool
    /// Each relayed connection starts with a PROXY protocol v2 header naming the client.
    public var proxyProtocol: Bool
    /// The VPC endpoint ID of the connections that arrive on each local address (the node's
    /// ends of PrivateLink transit links): their header carries it in AWS's TLV, and they are
    /// relayed from the node's own address whatever `transparent` says (as AWS relays
    /// PrivateLink traffic).
    public var vpcEndpoints: [String: String]
    /// Each relayed connection comes from the client's address (a transparent socket, which
    /// needs `CAP_NET_ADMIN`; the node routes the answers back to it): the target group
    /// preserves client addresses.
    public var transparent: Bool

    public init(address: String, port: Int, mark: UInt32? = nil, targetTLS: Bool = false, proxyProtocol: Bool = false,
                vpcEndpoints: [String: String] = [:], transparent: Bool = false) {
        self.address = address
        self.port = port
        self.mark = mark
        self.targetTLS = targetTLS
        self.proxyProtocol = proxyProtocol
        self.vpcEndpoints = vpcEndpoints
        self.transparent = transparent
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decode(Int.self, forKey: .port)
        mark = try container.decodeIfPresent(UInt32.self, forKey: .mark)
        targetTLS = try container.decodeIfPresent(Bool.self, forKey: .targetTLS) ?? false
        proxyProtocol = try container.decodeIfPresent(Bool.self, forKey: .proxyProtocol) ?? false
        vpcEndpoints = try container.decodeIfPresent([String: String].self, forKey: .vpcEndpoints) ?? [:]
        transparent = try container.decodeIfPresent(Bool.self, forKey: .transparent) ?? false
    }
}

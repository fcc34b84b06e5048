/// Where a `TLS` listener (an NLB node's TLS terminator) sends each connection once the
/// client's TLS handshake is done: an address and port that the node's kernel datapath balances
/// across the target group, with a firewall mark on the socket by which the datapath tells the
/// terminator's connections from the clients' own; `targetTLS` for `TLS` target groups, which
/// get a TLS session of their own (their certificates are not verified, as on AWS).
public struct TLSRelayConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, port, mark, targetTLS
    }

    public var address: String
    public var port: Int
    /// `SO_MARK` of the relay's sockets (needs `CAP_NET_ADMIN`); nil leaves them unmarked.
    public var mark: UInt32?
    public var targetTLS: Bool

    public init(address: String, port: Int, mark: UInt32? = nil, targetTLS: Bool = false) {
        self.address = address
        self.port = port
        self.mark = mark
        self.targetTLS = targetTLS
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decode(Int.self, forKey: .port)
        mark = try container.decodeIfPresent(UInt32.self, forKey: .mark)
        targetTLS = try container.decodeIfPresent(Bool.self, forKey: .targetTLS) ?? false
    }
}

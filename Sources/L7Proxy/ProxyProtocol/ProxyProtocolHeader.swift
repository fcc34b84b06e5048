import NIOCore

/// A PROXY protocol version 2 header (haproxy's `proxy-protocol.txt`, section 2.2), as an AWS
/// Network Load Balancer puts it before the first byte of a connection when its target group
/// has `proxy_protocol_v2.enabled`: the client's address and port, the address and port it
/// connected to, and type-length-value fields. Through an interface endpoint AWS adds its own
/// TLV (type `0xEA`, subtype `0x01`) carrying the VPC endpoint ID. lbnet is IPv4 only: other
/// address families are read (their addresses skipped) but not written.
public struct ProxyProtocolHeader: Sendable, Equatable {
    /// `LOCAL` (health checks and the like: the connection's own addresses apply) or `PROXY`.
    public enum Command: UInt8, Sendable {
        case local = 0x0
        case proxy = 0x1
    }

    /// The transport of the proxied connection.
    public enum Transport: UInt8, Sendable {
        case unspecified = 0x0
        case stream = 0x1
        case datagram = 0x2
    }

    /// An IPv4 address and port.
    public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
        public var address: [UInt8]
        public var port: UInt16

        public init(address: [UInt8], port: UInt16) {
            self.address = address
            self.port = port
        }

        /// The IPv4 address and port of `socketAddress`; nil for other families.
        public init?(_ socketAddress: SocketAddress) {
            guard case .v4 = socketAddress, let host = socketAddress.ipAddress, let port = socketAddress.port,
                  let address = IPAddressBytes.parse(host), address.count == 4 else { return nil }
            self.init(address: address, port: UInt16(port))
        }

        /// `a.b.c.d`.
        public var host: String { address.map(String.init).joined(separator: ".") }

        /// `a.b.c.d:port`.
        public var description: String { "\(host):\(port)" }
    }

    /// One type-length-value field.
    public struct TLV: Sendable, Equatable {
        public var type: UInt8
        public var value: [UInt8]

        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    public var command: Command
    public var transport: Transport
    /// The client's address and port; nil for `LOCAL` and for families lbnet does not read.
    public var source: Endpoint?
    /// The address and port the client connected to.
    public var destination: Endpoint?
    public var tlvs: [TLV]

    /// The 12 bytes every version 2 header starts with.
    public static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// `PP2_TYPE_AWS`, and its subtype `PP2_SUBTYPE_AWS_VPCE_ID`.
    public static let awsTLVType: UInt8 = 0xEA
    public static let awsVPCEndpointIDSubtype: UInt8 = 0x01
    /// Signature, version and command, family and transport, length.
    static let fixedLength = 16
    static let version: UInt8 = 0x2
    static let familyUnspecified: UInt8 = 0x0
    static let familyIPv4: UInt8 = 0x1
    static let ipv4AddressesLength = 12

    /// A `PROXY` header for an IPv4 connection, with AWS's endpoint TLV when `vpcEndpointID` is given.
    public init(proxying transport: Transport, from source: Endpoint, to destination: Endpoint, vpcEndpointID: String? = nil) {
        self.command = .proxy
        self.transport = transport
        self.source = source
        self.destination = destination
        self.tlvs = vpcEndpointID.map { [TLV(type: Self.awsTLVType, value: [Self.awsVPCEndpointIDSubtype] + Array($0.utf8))] } ?? []
    }

    public init(command: Command, transport: Transport, source: Endpoint?, destination: Endpoint?, tlvs: [TLV] = []) {
        self.command = command
        self.transport = transport
        self.source = source
        self.destination = destination
        self.tlvs = tlvs
    }

    /// The VPC endpoint ID of AWS's TLV, when the header has one.
    public var vpcEndpointID: String? {
        guard let tlv = tlvs.first(where: { $0.type == Self.awsTLVType && $0.value.first == Self.awsVPCEndpointIDSubtype })
        else { return nil }
        return String(decoding: tlv.value.dropFirst(), as: UTF8.self)
    }

    /// The header on the wire.
    public func encoded() -> [UInt8] {
        var body: [UInt8] = []
        var family = Self.familyUnspecified
        if let source, let destination {
            family = Self.familyIPv4
            body += source.address + destination.address
            body += [UInt8(source.port >> 8), UInt8(source.port & 0xFF), UInt8(destination.port >> 8), UInt8(destination.port & 0xFF)]
        }
        for tlv in tlvs {
            body += [tlv.type, UInt8(tlv.value.count >> 8), UInt8(tlv.value.count & 0xFF)] + tlv.value
        }
        return Self.signature + [Self.version << 4 | command.rawValue, family << 4 | transport.rawValue,
                                 UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// What the first bytes of a connection are.
    public enum Parsed: Sendable, Equatable {
        /// Too few bytes to tell, or the header is not complete yet.
        case incomplete
        /// The bytes do not start with the version 2 signature: no header.
        case absent
        /// A header, `length` bytes long.
        case header(ProxyProtocolHeader, length: Int)
    }

    /// Reads a header at the start of `bytes`.
    public static func parse(_ bytes: [UInt8]) throws(ProxyProtocolError) -> Parsed {
        let compared = min(bytes.count, signature.count)
        guard bytes[0..<compared].elementsEqual(signature[0..<compared]) else { return .absent }
        guard bytes.count >= fixedLength else { return .incomplete }
        guard bytes[12] >> 4 == version else { throw .unsupportedVersion(bytes[12] >> 4) }
        guard let command = Command(rawValue: bytes[12] & 0x0F) else { throw .unknownCommand(bytes[12] & 0x0F) }
        guard let transport = Transport(rawValue: bytes[13] & 0x0F) else { throw .unknownTransport(bytes[13] & 0x0F) }
        let family = bytes[13] >> 4
        let bodyLength = Int(bytes[14]) << 8 | Int(bytes[15])
        guard bytes.count >= fixedLength + bodyLength else { return .incomplete }
        let body = Array(bytes[fixedLength..<(fixedLength + bodyLength)])
        var header = ProxyProtocolHeader(command: command, transport: transport, source: nil, destination: nil)
        let addressesLength: Int = switch family {
        case familyIPv4: ipv4AddressesLength
        case 0x2: 36 // IPv6: two 16-byte addresses and two ports
        case 0x3: 216 // UNIX: two 108-byte paths
        default: 0
        }
        guard body.count >= addressesLength else { throw .truncatedAddresses(family: family, length: body.count) }
        if family == familyIPv4, command == .proxy {
            header.source = Endpoint(address: Array(body[0..<4]), port: UInt16(body[8]) << 8 | UInt16(body[9]))
            header.destination = Endpoint(address: Array(body[4..<8]), port: UInt16(body[10]) << 8 | UInt16(body[11]))
        }
        var offset = addressesLength
        while offset < body.count {
            guard offset + 3 <= body.count else { throw .truncatedTLV(offset: fixedLength + offset) }
            let length = Int(body[offset + 1]) << 8 | Int(body[offset + 2])
            guard offset + 3 + length <= body.count else { throw .truncatedTLV(offset: fixedLength + offset) }
            header.tlvs.append(TLV(type: body[offset], value: Array(body[(offset + 3)..<(offset + 3 + length)])))
            offset += 3 + length
        }
        return .header(header, length: fixedLength + bodyLength)
    }
}

/// Why bytes that start with the PROXY protocol version 2 signature are not a header.
public enum ProxyProtocolError: Error, Equatable, CustomStringConvertible {
    case unsupportedVersion(UInt8)
    case unknownCommand(UInt8)
    case unknownTransport(UInt8)
    case truncatedAddresses(family: UInt8, length: Int)
    case truncatedTLV(offset: Int)

    public var description: String {
        switch self {
        case .unsupportedVersion(let version): "PROXY protocol header: version \(version), not 2"
        case .unknownCommand(let command): "PROXY protocol header: unknown command \(command)"
        case .unknownTransport(let transport): "PROXY protocol header: unknown transport \(transport)"
        case .truncatedAddresses(let family, let length):
            "PROXY protocol header: \(length) bytes cannot hold the addresses of family \(family)"
        case .truncatedTLV(let offset): "PROXY protocol header: the TLV at byte \(offset) runs past the header's length"
        }
    }
}

/// An IPv4 address, held in host byte order.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad notation; `nil` for anything else (no octal, no shorthand).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                  !(part.count > 1 && part.first == "0"),
                  let octet = UInt8(part) else { return nil }
            result = result << 8 | UInt32(octet)
        }
        value = result
    }

    /// The address as the kernel wants it on the wire: four bytes, network order.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    public func advanced(by offset: Int) -> IPv4Address {
        IPv4Address(UInt32(truncatingIfNeeded: Int64(value) + Int64(offset)))
    }
}

/// An IPv4 network in CIDR notation, e.g. `10.0.1.0/24`; the address is always the network's first.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let prefixLength: Int

    public init?(_ address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        network = IPv4Address(address.value & Self.mask(prefixLength))
    }

    /// Parses `a.b.c.d/n`. Host bits must be zero (`10.0.1.5/24` is rejected), as AWS does.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]),
              parts[1].allSatisfy(\.isASCIIDigit), let length = Int(parts[1]),
              let network = IPv4Network(address, prefixLength: length),
              network.network == address else { return nil }
        self = network
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - length) }

    public var netmask: UInt32 { Self.mask(prefixLength) }
    public var broadcast: IPv4Address { IPv4Address(network.value | ~netmask) }
    public var size: UInt64 { UInt64(1) << (32 - prefixLength) }

    public func contains(_ address: IPv4Address) -> Bool { address.value & netmask == network.value }

    public func contains(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && contains(other.network)
    }

    public func overlaps(_ other: IPv4Network) -> Bool { contains(other.network) || other.contains(network) }

    /// The `index`-th address of the network (0 is the network address itself).
    public func address(at index: Int) -> IPv4Address { network.advanced(by: index) }

    public var description: String { "\(network)/\(prefixLength)" }
}

/// An address on an interface together with its prefix length, e.g. `10.0.1.1/24`.
public struct IPv4Interface: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init(address: IPv4Address, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public var network: IPv4Network { IPv4Network(address, prefixLength: prefixLength)! }
    public var description: String { "\(address)/\(prefixLength)" }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

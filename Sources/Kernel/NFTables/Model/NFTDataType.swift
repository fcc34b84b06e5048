/// The datatype of a map's keys or values as nft names them (`mark`, `ipv4_addr`,
/// `inet_service`, or a concatenation): the kernel stores only the number and the length, `nft`
/// uses them to print elements. Numbers are nft's `enum datatypes`.
public struct NFTDataType: Hashable, Sendable, CustomStringConvertible {
    public let id: UInt32
    /// Bytes per key or value; each part of a concatenation takes a multiple of 4.
    public let length: UInt32
    let name: String
    /// Whether values are host-endian integers (nft needs to be told, to print them right).
    let isHostByteOrder: Bool

    /// A datatype by number and length; `name` defaults to nft's name for the types lbnet uses.
    public init(id: UInt32, length: UInt32, name: String? = nil) {
        self.init(id: id, length: length, name: name ?? Self.knownNames[id] ?? "type \(id)", isHostByteOrder: false)
    }

    private init(id: UInt32, length: UInt32, name: String, isHostByteOrder: Bool) {
        self.id = id
        self.length = length
        self.name = name
        self.isHostByteOrder = isHostByteOrder
    }

    private static let knownNames: [UInt32: String] = [19: "mark", 7: "ipv4_addr", 13: "inet_service"]

    /// A packet mark: a 32-bit integer in host byte order.
    public static let mark = NFTDataType(id: 19, length: 4, name: "mark", isHostByteOrder: true)
    /// An IPv4 address in network byte order.
    public static let ipv4Address = NFTDataType(id: 7, length: 4, name: "ipv4_addr")
    /// A TCP/UDP port in network byte order.
    public static let inetService = NFTDataType(id: 13, length: 2, name: "inet_service")

    /// `a . b . ...`: nft packs the part ids 6 bits each; every part is padded to 4 bytes.
    public static func concatenation(_ parts: [NFTDataType]) -> NFTDataType {
        NFTDataType(id: parts.reduce(0) { $0 << 6 | $1.id },
                    length: parts.reduce(0) { $0 + ($1.length + 3) / 4 * 4 },
                    name: parts.map(\.name).joined(separator: " . "))
    }

    public var description: String { name }

    /// Equality is what the kernel keeps: the number and the length.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id && lhs.length == rhs.length }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(length)
    }
}

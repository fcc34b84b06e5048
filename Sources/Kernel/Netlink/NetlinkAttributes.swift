/// One attribute (`nlattr`) of a received message.
public struct NetlinkAttribute: Sendable {
    public let type: UInt16
    public let payload: ArraySlice<UInt8>

    public var isNested: Bool { type & NetlinkConstants.attributeNestedFlag != 0 }
    public var kind: UInt16 { type & NetlinkConstants.attributeTypeMask }

    public var uint8: UInt8? { payload.first }

    public var uint16: UInt16? {
        guard payload.count >= 2 else { return nil }
        let s = payload.startIndex
        return UInt16(payload[s]) | UInt16(payload[s + 1]) << 8
    }

    public var bigEndianUInt16: UInt16? { uint16.map { $0.byteSwapped } }

    public var uint32: UInt32? {
        guard payload.count >= 4 else { return nil }
        let s = payload.startIndex
        return UInt32(payload[s]) | UInt32(payload[s + 1]) << 8 | UInt32(payload[s + 2]) << 16
            | UInt32(payload[s + 3]) << 24
    }

    public var int32: Int32? { uint32.map { Int32(bitPattern: $0) } }

    public var uint64: UInt64? {
        guard payload.count >= 8 else { return nil }
        return payload.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The payload as a string, without the terminating NUL.
    public var string: String {
        String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }

    public var ipv4: IPv4Address? { IPv4Address(bytes: payload.prefix(4)) }

    public var nested: NetlinkAttributes { NetlinkAttributes(payload) }
}

/// The attributes in a byte range, iterated in order; malformed tails are ignored.
public struct NetlinkAttributes: Sequence, Sendable {
    let bytes: ArraySlice<UInt8>

    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    public func makeIterator() -> AnyIterator<NetlinkAttribute> {
        var offset = bytes.startIndex
        let bytes = self.bytes
        return AnyIterator {
            guard offset + 4 <= bytes.endIndex else { return nil }
            let length = Int(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
            let type = UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
            guard length >= 4, offset + length <= bytes.endIndex else { return nil }
            let attribute = NetlinkAttribute(type: type, payload: bytes[(offset + 4)..<(offset + length)])
            offset += (length + 3) & ~3
            return attribute
        }
    }

    /// The last attribute of `kind` (the kernel sends each at most once).
    public subscript(kind: UInt16) -> NetlinkAttribute? {
        var found: NetlinkAttribute?
        for attribute in self where attribute.kind == kind { found = attribute }
        return found
    }
}

import CNetlink

/// A named map's definition: its name and the datatypes of its keys and values (no value: a
/// plain set, whose elements are keys alone). Changing any of them means deleting and
/// recreating the map.
public struct NFTMapDefinition: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let key: NFTDataType
    public let value: NFTDataType?

    public init(name: String, key: NFTDataType, value: NFTDataType?) {
        self.name = name
        self.key = key
        self.value = value
    }

    /// A plain set of `key`s (`set name { type key; }`).
    public static func set(name: String, key: NFTDataType) -> NFTMapDefinition {
        NFTMapDefinition(name: name, key: key, value: nil)
    }

    /// The `NFT_SET_*` flags lbnet gives it: `NFT_SET_MAP` for a map, none for a set.
    public var flags: UInt32 { value == nil ? 0 : NFT_SET_MAP.rawValue }

    /// `: value`, or nothing for a set.
    var valueText: String { value.map { " : \($0)" } ?? "" }

    public var description: String { "\(value == nil ? "set" : "map") \(name) { type \(key)\(valueText); }" }
}

/// One map element: key and value bytes exactly as the kernel stores them.
public struct NFTMapElement: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let key: [UInt8]
    public let value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.key.lexicographicallyPrecedes(rhs.key) }

    /// `key : value`, or the key alone for a set's element.
    public var description: String { value.isEmpty ? NFTHex.string(key) : "\(NFTHex.string(key)) : \(NFTHex.string(value))" }
}

/// A map lbnet wants: its definition and every element it should hold, keyed by key bytes.
public struct NFTMapSpec: Hashable, Sendable {
    public let definition: NFTMapDefinition
    public let elements: [[UInt8]: [UInt8]]

    public init(definition: NFTMapDefinition, elements: [[UInt8]: [UInt8]]) {
        self.definition = definition
        self.elements = elements
    }
}

/// A map as read back from the kernel: definition, set flags, handle and elements.
public struct NFTMapState: Hashable, Sendable {
    public let definition: NFTMapDefinition
    /// `NFT_SET_*` flags; lbnet's maps have exactly `NFT_SET_MAP`, its sets none.
    public let flags: UInt32
    public let handle: UInt64
    public let elements: [[UInt8]: [UInt8]]

    public init(definition: NFTMapDefinition, flags: UInt32, handle: UInt64, elements: [[UInt8]: [UInt8]]) {
        self.definition = definition
        self.flags = flags
        self.handle = handle
        self.elements = elements
    }
}

/// Hex rendering of key and value bytes for descriptions and errors.
enum NFTHex {
    static func string(_ bytes: [UInt8]) -> String {
        "0x" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

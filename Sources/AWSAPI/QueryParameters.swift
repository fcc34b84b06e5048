/// The parameters of an AWS Query or EC2 protocol request: the form-encoded body (and query
/// string), with the list conventions of each protocol.
public struct QueryParameters: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// Decodes `application/x-www-form-urlencoded` text: `+` is a space, `%XX` a byte. A later
    /// repetition of a key replaces an earlier one.
    public init(formEncoded text: String) throws(APIError) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError("MalformedQueryString", "The parameter '\(parts[0])' is not valid percent-encoding")
            }
            values[key] = value
        }
        self.values = values
    }

    public subscript(_ key: String) -> String? { values[key] }

    /// A required parameter, or AWS's `MissingParameter`... phrased as the Query protocol's
    /// `ValidationError` does for ELBv2.
    public func required(_ key: String) throws(APIError) -> String {
        guard let value = values[key] else { throw .missingParameter(key) }
        return value
    }

    /// A Query-protocol list, `NAME.member.1`, `NAME.member.2`, ... in index order.
    public func members(_ name: String) -> [String] { indexed("\(name).member.") }

    /// An EC2-protocol list, `NAME.1`, `NAME.2`, ... in index order.
    public func ec2List(_ name: String) -> [String] { indexed("\(name).") }

    /// The structures of a list, each as the parameters under its prefix: for `Filter` in the
    /// EC2 protocol, `Filter.1.Name` and `Filter.1.Value.1` become `Name` and `Value.1` of the
    /// first element.
    public func structures(_ prefix: String) -> [QueryParameters] {
        var elements: [Int: [String: String]] = [:]
        for (key, value) in values where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]) else { continue }
            elements[index, default: [:]][String(rest[rest.index(after: dot)...])] = value
        }
        return elements.keys.sorted().map { QueryParameters(elements[$0]!) }
    }

    private func indexed(_ prefix: String) -> [String] {
        values.compactMap { key, value -> (Int, String)? in
            guard key.hasPrefix(prefix), let index = Int(key.dropFirst(prefix.count)) else { return nil }
            return (index, value)
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private static func decode<S: StringProtocol>(_ text: S) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

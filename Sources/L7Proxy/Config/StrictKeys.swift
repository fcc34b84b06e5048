/// Refusal of JSON keys a configuration type does not know: a misspelt or unsupported key is an
/// error naming it, never silently ignored.
extension Decoder {
    /// Throws when the object being decoded has a key that `keys` does not list (nor `extra`).
    func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type, extra: [String] = []) throws {
        let known = Set(Keys.allCases.map(\.stringValue) + extra)
        let container = try container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: container,
                debugDescription: "unknown key \"\(unknown.stringValue)\"; expected one of \(known.sorted().joined(separator: ", "))")
        }
    }
}

/// Any JSON object key.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

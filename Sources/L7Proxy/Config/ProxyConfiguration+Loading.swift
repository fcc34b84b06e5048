import Foundation

extension ProxyConfiguration {
    /// Reads, decodes and validates the JSON configuration at `path`.
    public static func load(contentsOf path: String) throws(ProxyConfigurationError) -> ProxyConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, source: path)
    }

    /// Decodes and validates a JSON configuration; `source` names it in errors.
    public static func decode(_ data: Data, source: String = "<data>") throws(ProxyConfigurationError) -> ProxyConfiguration {
        let configuration: ProxyConfiguration
        do {
            configuration = try JSONDecoder().decode(ProxyConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(source: source, detail: error.fieldDescription)
        } catch {
            throw .malformed(source: source, detail: "\(error)")
        }
        try configuration.validate()
        return configuration
    }

    /// The configuration as pretty-printed JSON with sorted keys.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension DecodingError {
    /// The failure with the field path it happened at, such as
    /// `listeners[0].port: expected Int`.
    var fieldDescription: String {
        switch self {
        case .typeMismatch(let type, let context):
            "\(context.fieldPath): expected \(type) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            "\(context.fieldPath): missing \(type) value"
        case .keyNotFound(let key, let context):
            "\(context.fieldPath(appending: key)): required field is missing"
        case .dataCorrupted(let context):
            "\(context.fieldPath): \(context.debugDescription)"
        @unknown default:
            "\(self)"
        }
    }
}

extension DecodingError.Context {
    var fieldPath: String { fieldPath(appending: nil) }

    func fieldPath(appending key: (any CodingKey)?) -> String {
        let keys = codingPath + (key.map { [$0] } ?? [])
        var path = ""
        for key in keys {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path.isEmpty ? "document" : path
    }
}

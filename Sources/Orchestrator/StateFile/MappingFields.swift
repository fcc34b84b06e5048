import Yams

/// The entries of one YAML mapping, by key, together with the mapping's own path.
struct MappingFields {
    let path: FieldPath
    private let values: [String: Node]

    init(path: FieldPath, values: [String: Node]) {
        self.path = path
        self.values = values
    }

    /// The value of `key`; `nil` when the key is absent or its value is YAML null.
    subscript(key: String) -> Node? {
        guard let node = values[key], !node.isNull else { return nil }
        return node
    }
}

extension Node {
    /// The resolved tag, e.g. `.str` or `.int` for a plain scalar that reads as a number.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    var isNull: Bool {
        if case .scalar = self { return tagName == .null }
        return false
    }

    /// How the node's type reads in a message: "a string", "a list", ...
    var typeDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch tagName {
            case .str: return "a string"
            case .int: return "an integer"
            case .float: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            case .timestamp: return "a timestamp"
            default: return "a value tagged \(tag.rawValue)"
            }
        }
    }
}

import Yams

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

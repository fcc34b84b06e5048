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

import Yams

extension StateFileDecoder {
    /// The entries of the mapping `node`, reporting any key not in `keys`.
    func fields(of node: Node, at path: FieldPath, keys: [String]) -> MappingFields? {
        record(node, at: path)
        guard case .mapping(let mapping) = node else {
            report("expected a mapping, got \(node.typeDescription)", at: path)
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report("keys must be strings, got \(keyNode.typeDescription)", at: path)
                continue
            }
            let key = scalar.string
            let keyPath = path.key(key)
            record(keyNode, at: keyPath)
            guard keys.contains(key) else {
                report("unknown key '\(key)'\(Suggestion.hint(for: key, among: keys))", at: keyPath)
                continue
            }
            values[key] = value
        }
        return MappingFields(path: path, values: values)
    }

    /// The decoded value of a key that must be present.
    func required<Value>(
        _ fields: MappingFields, _ key: String, _ decode: (Node, FieldPath) -> Value?
    ) -> Value? {
        guard let node = fields[key] else {
            report("missing required key '\(key)'", at: fields.path)
            return nil
        }
        return decode(node, fields.path.key(key))
    }

    /// The decoded value of a key that may be absent (or null).
    func optional<Value>(
        _ fields: MappingFields, _ key: String, _ decode: (Node, FieldPath) -> Value?
    ) -> Value? {
        fields[key].flatMap { decode($0, fields.path.key(key)) }
    }

    /// The decoded items of an optional list; empty when the key is absent.
    func optionalList<Item>(
        _ fields: MappingFields, _ key: String, _ decodeItem: (Node, FieldPath) -> Item?
    ) -> [Item] {
        optional(fields, key) { list($0, at: $1, decodeItem) } ?? []
    }

    /// The decoded items of a required list.
    func requiredList<Item>(
        _ fields: MappingFields, _ key: String, _ decodeItem: (Node, FieldPath) -> Item?
    ) -> [Item]? {
        required(fields, key) { list($0, at: $1, decodeItem) }
    }

    /// The items of the sequence `node`; items that fail to decode are left out (their issues are reported).
    func list<Item>(_ node: Node, at path: FieldPath, _ decodeItem: (Node, FieldPath) -> Item?) -> [Item]? {
        record(node, at: path)
        guard case .sequence(let sequence) = node else {
            report("expected a list, got \(node.typeDescription)", at: path)
            return nil
        }
        return sequence.enumerated().compactMap { position, item in
            let itemPath = path.index(position)
            record(item, at: itemPath)
            return decodeItem(item, itemPath)
        }
    }
}

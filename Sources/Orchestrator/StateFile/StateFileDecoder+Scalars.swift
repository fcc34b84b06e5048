import Kernel
import Yams

extension StateFileDecoder {
    /// A string; plain numbers are taken as written (`statusCode: 503` is `"503"`).
    func string(_ node: Node, at path: FieldPath) -> String? {
        record(node, at: path)
        if case .scalar(let scalar) = node, [.str, .int, .float].contains(node.tagName) {
            return scalar.string
        }
        report("expected a string, got \(node.typeDescription)", at: path)
        return nil
    }

    /// Any scalar but null, as written: the items of a command line.
    func argument(_ node: Node, at path: FieldPath) -> String? {
        record(node, at: path)
        if case .scalar(let scalar) = node, !node.isNull {
            return scalar.string
        }
        report("expected a string, got \(node.typeDescription)", at: path)
        return nil
    }

    func integer(_ node: Node, at path: FieldPath) -> Int? {
        record(node, at: path)
        if node.tagName == .int {
            if let value = node.int { return value }
            report("integer out of range", at: path)
            return nil
        }
        report("expected an integer, got \(node.typeDescription)", at: path)
        return nil
    }

    func boolean(_ node: Node, at path: FieldPath) -> Bool? {
        record(node, at: path)
        if node.tagName == .bool, let value = node.bool {
            return value
        }
        report("expected true or false, got \(node.typeDescription)", at: path)
        return nil
    }

    func network(_ node: Node, at path: FieldPath) -> IPv4Network? {
        guard let text = string(node, at: path) else { return nil }
        if let network = IPv4Network(text) {
            return network
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]),
           let network = IPv4Network(address, prefixLength: length) {
            report("\(text) has host bits set (did you mean \(network)?)", at: path)
        } else {
            report("'\(text)' is not an IPv4 CIDR block like 10.0.0.0/16", at: path)
        }
        return nil
    }

    func address(_ node: Node, at path: FieldPath) -> IPv4Address? {
        guard let text = string(node, at: path) else { return nil }
        guard let address = IPv4Address(text) else {
            report("'\(text)' is not an IPv4 address like 10.0.1.11", at: path)
            return nil
        }
        return address
    }

    /// One of the enum's raw values, spelt exactly.
    func enumeration<Value: RawRepresentable<String> & CaseIterable>(
        _ node: Node, at path: FieldPath
    ) -> Value? {
        guard let text = string(node, at: path) else { return nil }
        if let value = Value(rawValue: text) {
            return value
        }
        let choices = Value.allCases.map(\.rawValue)
        let hint = Suggestion.hint(for: text, among: choices)
        report("'\(text)' is not one of \(choices.joined(separator: ", "))\(hint)", at: path)
        return nil
    }

    /// A mapping of names to scalars; booleans become `true`/`false` and integers their decimal digits.
    func stringMap(_ node: Node, at path: FieldPath) -> [String: String]? {
        record(node, at: path)
        guard case .mapping(let mapping) = node else {
            report("expected a mapping, got \(node.typeDescription)", at: path)
            return nil
        }
        var result: [String: String] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                report("keys must be strings, got \(keyNode.typeDescription)", at: path)
                continue
            }
            let key = keyScalar.string
            let valuePath = path.key(key)
            record(value, at: valuePath)
            switch (value, value.tagName) {
            case (.scalar, .bool):
                result[key] = value.bool.map(String.init)
            case (.scalar, .int):
                result[key] = value.int.map(String.init)
            case (.scalar(let scalar), .str), (.scalar(let scalar), .float):
                result[key] = scalar.string
            default:
                report("expected a string, got \(value.typeDescription)", at: valuePath)
            }
        }
        return result
    }
}

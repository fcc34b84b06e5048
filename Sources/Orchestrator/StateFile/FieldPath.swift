/// The location of a value inside the state file, rendered like `vpcs[0].subnets[1].cidr`.
struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    static let root = FieldPath()

    func key(_ name: String) -> FieldPath {
        var path = self
        path.components.append(.key(name))
        return path
    }

    func index(_ position: Int) -> FieldPath {
        var path = self
        path.components.append(.index(position))
        return path
    }

    /// The enclosing path; `nil` for the root.
    var parent: FieldPath? {
        guard !components.isEmpty else { return nil }
        var path = self
        path.components.removeLast()
        return path
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let position):
                text += "[\(position)]"
            case .key(let name) where Self.isPlain(name):
                text += text.isEmpty ? name : ".\(name)"
            case .key(let name):
                text += "[\"\(name)\"]"
            }
        }
        return text
    }

    /// Keys made of letters, digits, `_` and `-` print bare; others (e.g. attribute names with dots) print quoted.
    private static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

/// An XML element tree for AWS's responses, rendered with escaping. Small on purpose: AWS's
/// Query and EC2 responses are elements and text only (no attributes but the namespace).
public indirect enum XMLNode: Sendable, Equatable {
    case element(String, [XMLNode])
    case text(String, String)

    /// `<name>value</name>`, or nothing when `value` is nil.
    public static func field(_ name: String, _ value: String?) -> [XMLNode] {
        value.map { [.text(name, $0)] } ?? []
    }

    /// A list in the Query protocol's shape: `<name><member>…</member>…</name>`.
    public static func members(_ name: String, _ items: [[XMLNode]]) -> XMLNode {
        .element(name, items.map { .element("member", $0) })
    }

    /// A list of strings in the Query protocol's shape: `<name><member>text</member>…</name>`.
    public static func members(_ name: String, texts: [String]) -> XMLNode {
        .element(name, texts.map { .text("member", $0) })
    }

    /// A list in the EC2 protocol's shape: `<name><item>…</item>…</name>`.
    public static func items(_ name: String, _ items: [[XMLNode]]) -> XMLNode {
        .element(name, items.map { .element("item", $0) })
    }

    /// The document, with `namespace` on the root element.
    public func document(namespace: String? = nil) -> String {
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        render(into: &out, namespace: namespace)
        return out
    }

    private func render(into out: inout String, namespace: String?) {
        let xmlns = namespace.map { #" xmlns=""# + Self.escape($0) + #"""# } ?? ""
        switch self {
        case .text(let name, let value):
            out += "<\(name)\(xmlns)>\(Self.escape(value))</\(name)>"
        case .element(let name, let children):
            out += "<\(name)\(xmlns)>"
            children.forEach { $0.render(into: &out, namespace: nil) }
            out += "</\(name)>"
        }
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

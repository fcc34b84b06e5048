import Foundation

/// A Graphviz DOT graph under construction: nested clusters, nodes and edges with attributes,
/// every identifier and value quoted, so names from a state file can never break the syntax.
struct DotGraph {
    private var lines: [String] = []
    private var depth = 1

    /// `"text"` with DOT's escapes; a line break in `text` becomes a centred line break.
    static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func attributes(_ pairs: KeyValuePairs<String, String>) -> String {
        pairs.isEmpty ? "" : " [" + pairs.map { "\($0.key)=\(quoted($0.value))" }.joined(separator: ", ") + "]"
    }

    mutating func line(_ text: String) {
        lines.append(String(repeating: "  ", count: depth) + text)
    }

    /// Graph-wide defaults: `graph`, `node` or `edge` followed by attributes.
    mutating func defaults(_ kind: String, _ pairs: KeyValuePairs<String, String>) {
        line(kind + Self.attributes(pairs))
    }

    mutating func node(_ id: String, _ pairs: KeyValuePairs<String, String>) {
        line(Self.quoted(id) + Self.attributes(pairs))
    }

    /// A node whose label is Graphviz's HTML-like markup `html`, written as is: for fixed text only.
    mutating func htmlNode(_ id: String, _ pairs: KeyValuePairs<String, String>, html: String) {
        let attributes = pairs.map { "\($0.key)=\(Self.quoted($0.value)), " }.joined()
        line(Self.quoted(id) + " [" + attributes + "label=<" + html + ">]")
    }

    mutating func edge(_ from: String, _ to: String, _ pairs: KeyValuePairs<String, String> = [:]) {
        line(Self.quoted(from) + " -> " + Self.quoted(to) + Self.attributes(pairs))
    }

    /// A cluster (drawn as a box around its contents) holding what `body` adds.
    mutating func cluster(_ id: String, _ pairs: KeyValuePairs<String, String>, _ body: (inout DotGraph) -> Void) {
        line("subgraph " + Self.quoted("cluster " + id) + " {")
        depth += 1
        for (key, value) in pairs { line("\(key)=\(Self.quoted(value))") }
        body(&self)
        depth -= 1
        line("}")
    }

    /// The finished `digraph NAME { ... }`.
    func render(name: String) -> String {
        (["digraph \(Self.quoted(name)) {"] + lines + ["}"]).joined(separator: "\n") + "\n"
    }
}

import Yams

/// Describes errors of the YAML parser as state file issues, with the line they occur on.
enum YAMLSyntaxIssue {
    static func issue(for error: any Error, in text: String, source: String) -> StateFileIssue {
        let (line, message) = describe(error, in: text)
        return StateFileIssue(source: source, path: "", line: line, message: "invalid YAML: \(message)")
    }

    private static func describe(_ error: any Error, in text: String) -> (line: Int?, message: String) {
        guard let yamlError = error as? YamlError else { return (nil, String(describing: error)) }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return (mark.line, problem + detail)
        case .reader(let problem, let offset, _, _):
            return (offset.map { line(atCharacterOffset: $0, in: text) }, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line, "duplicate key \(keys) in a mapping")
        default:
            return (nil, String(describing: yamlError))
        }
    }

    private static func line(atCharacterOffset offset: Int, in text: String) -> Int {
        text.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}

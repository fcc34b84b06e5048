import Foundation
import Yams

/// Reads state files: YAML syntax, then structure, then meaning; throws every issue found at the first
/// stage that has any.
public enum StateFileLoader {
    /// Parses and validates `text`; `source` names the file in messages. `previous` is the file
    /// applied before, for the rules that depend on what exists (an ALB registered in a target
    /// group cannot be deleted).
    public static func parse(_ text: String, source: String, previous: StateFile? = nil) throws(StateFileError) -> StateFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw StateFileError(issues: [YAMLSyntaxIssue.issue(for: error, in: text, source: source)])
        }
        let decoder = StateFileDecoder(source: source)
        guard let file = decoder.decode(root) else {
            throw StateFileError(issues: decoder.issues)
        }
        var validator = StateFileValidator(file: file, source: source, lines: decoder.lines, previous: previous)
        let issues = validator.validate()
        guard issues.isEmpty else {
            throw StateFileError(issues: issues)
        }
        return file
    }

    /// Reads, parses and validates the state file at `path`.
    public static func load(path: String) throws(StateFileError) -> StateFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let message = "cannot read the file: \(readFailureReason(error))"
            throw StateFileError(issues: [StateFileIssue(source: path, path: "", line: nil, message: message)])
        }
        return try parse(text, source: path)
    }

    /// The system's reason (e.g. "No such file or directory") when Foundation has one.
    private static func readFailureReason(_ error: any Error) -> String {
        if let posix = (error as? CocoaError)?.underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        return error.localizedDescription
    }
}

extension StateFile {
    /// The issues of a state file built in code; an empty list means it is valid.
    /// `source` names the file in the issues, which carry no line numbers.
    public func validationIssues(source: String) -> [StateFileIssue] {
        var validator = StateFileValidator(file: self, source: source)
        return validator.validate()
    }
}

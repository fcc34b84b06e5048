import Kernel

/// An instance's user data, as EC2 runs it at launch: a shell script (`#!/bin/sh`, `#!/bin/bash`,
/// `#!/usr/bin/env bash`, … or no `#!` line, which means `/bin/sh`). lbnet runs it once each
/// time the instance starts, inside the instance's namespace, as ``user`` (never root), and
/// keeps the instance running after the script ends, as EC2 does; what the script starts in
/// the background keeps running too. The script reaches the shell on a pipe (its standard
/// input), never in a file or on a command line other users could read.
public struct UserDataScript: Sendable, Equatable {
    /// EC2's limit on user data (before base64 encoding).
    public static let maximumSize = 16384
    /// Who runs user data: `nobody`/`nogroup`.
    public static let user = ProcessUser.nobody
    static let shells: Set<String> = ["sh", "bash", "dash"]

    public let text: String
    /// The shell that runs the script: `/bin/sh`, or the interpreter its `#!` line names.
    public let shell: [String]

    /// The script, or `nil` when lbnet cannot run it (``problem(with:)`` says why).
    public init?(_ text: String) {
        guard Self.problem(with: text) == nil else { return nil }
        self.text = text
        shell = Self.interpreter(of: text) ?? ["/bin/sh"]
    }

    /// The command line that runs the script: the shell reads the script from its standard
    /// input, gives its commands `/dev/null` instead, waits for what they start in the
    /// background, then stays (the instance runs on; its process group ends when it stops).
    public var command: [String] {
        shell + ["-c", #"script=$(cat); exec </dev/null; (eval "$script"; wait); exec sleep infinity"#, "user-data"]
    }

    /// Why lbnet cannot run `text` as user data, or `nil` when it can.
    public static func problem(with text: String) -> String? {
        if text.utf8.count > maximumSize {
            return "is \(text.utf8.count) bytes; EC2 allows at most \(maximumSize) bytes of user data"
        }
        let first = text.prefix { $0 != "\n" }
        for format in ["#cloud-config", "#cloud-boothook", "#include", "#part-handler", "#upstart-job", "Content-Type:"]
        where first.hasPrefix(format) {
            return "is cloud-init's '\(format)' format; lbnet does not implement cloud-init, only shell scripts"
        }
        if first.hasPrefix("#!"), interpreter(of: text) == nil {
            return "starts with '\(first)'; lbnet runs user data only as a shell script (#!/bin/sh, #!/bin/bash or no #! line)"
        }
        return nil
    }

    /// The shell a `#!` line names (directly or through `/usr/bin/env`), if it names one.
    static func interpreter(of text: String) -> [String]? {
        guard text.hasPrefix("#!") else { return nil }
        let words = text.dropFirst(2).prefix { $0 != "\n" }.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let program = words.first, program.hasPrefix("/") else { return nil }
        if program.hasSuffix("/env"), words.count == 2, shells.contains(words[1]) { return words }
        guard words.count == 1, let name = program.split(separator: "/").last, shells.contains(String(name)) else { return nil }
        return [program]
    }
}

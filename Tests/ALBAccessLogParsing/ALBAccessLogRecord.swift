import Foundation

/// One line of an Application Load Balancer access log, parsed as AWS documents the format and
/// independently of lbnet's writer: 30 space-separated fields in AWS's order, some always in
/// double quotes (inside which a `"` never appears; lbnet writes it and other special bytes as
/// `\xNN`), each checked for the shape AWS gives it.
public struct ALBAccessLogRecord: Sendable {
    /// AWS's field names, in order.
    public static let fieldNames = [
        "type", "time", "elb", "client:port", "target:port", "request_processing_time", "target_processing_time",
        "response_processing_time", "elb_status_code", "target_status_code", "received_bytes", "sent_bytes", "request",
        "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn",
        "matched_rule_priority", "request_creation_time", "actions_executed", "redirect_url", "error_reason",
        "target:port_list", "target_status_code_list", "classification", "classification_reason", "conn_trace_id",
    ]
    /// The fields AWS writes in double quotes.
    public static let quotedFields: Set<String> = [
        "request", "user_agent", "trace_id", "domain_name", "chosen_cert_arn", "actions_executed", "redirect_url",
        "error_reason", "target:port_list", "target_status_code_list", "classification", "classification_reason",
    ]

    /// Each field's value, quotes removed and `\xNN` decoded.
    public let fields: [String: String]

    public subscript(name: String) -> String { fields[name] ?? "" }

    public init(parsing line: String) throws(ALBAccessLogParseError) {
        let tokens = try Self.tokens(of: line)
        guard tokens.count == Self.fieldNames.count else {
            throw .init("\(tokens.count) fields instead of \(Self.fieldNames.count): \(line)")
        }
        var fields: [String: String] = [:]
        for (name, token) in zip(Self.fieldNames, tokens) {
            guard token.quoted == Self.quotedFields.contains(name) else {
                throw .init("\(name) is \(token.quoted ? "" : "not ")quoted: \(line)")
            }
            fields[name] = token.value
        }
        self.fields = fields
        try checkShapes(line)
    }

    private func checkShapes(_ line: String) throws(ALBAccessLogParseError) {
        func require(_ condition: Bool, _ name: String) throws(ALBAccessLogParseError) {
            if !condition { throw .init("\(name) '\(self[name])' has the wrong shape: \(line)") }
        }
        try require(["http", "https", "h2", "grpcs", "ws", "wss"].contains(self["type"]), "type")
        try require(Self.isTimestamp(self["time"]), "time")
        try require(Self.isTimestamp(self["request_creation_time"]), "request_creation_time")
        let elb = self["elb"].split(separator: "/", omittingEmptySubsequences: false)
        try require(elb.count == 3 && elb[0] == "app" && elb.allSatisfy { !$0.isEmpty }, "elb")
        try require(Self.isHostPort(self["client:port"]), "client:port")
        try require(self["target:port"] == "-" || Self.isHostPort(self["target:port"]), "target:port")
        for name in ["request_processing_time", "target_processing_time", "response_processing_time"] {
            try require(self[name] == "-1" || Self.isSeconds(self[name]), name)
        }
        for name in ["elb_status_code", "target_status_code"] {
            try require(self[name] == "-" || (self[name].count == 3 && self[name].allSatisfy(\.isNumber)), name)
        }
        for name in ["received_bytes", "sent_bytes"] {
            try require(!self[name].isEmpty && self[name].allSatisfy(\.isNumber), name)
        }
        let request = self["request"].split(separator: " ", omittingEmptySubsequences: false)
        try require(self["request"] == "- - -" || (request.count == 3 && request[1].contains("://") && request[2].hasPrefix("HTTP/")),
                    "request")
        try require(Int(self["matched_rule_priority"]).map { (-1...50000).contains($0) } ?? false, "matched_rule_priority")
        try require(self["target_group_arn"] == "-" || self["target_group_arn"].hasPrefix("arn:aws:elasticloadbalancing:"),
                    "target_group_arn")
        let conn = self["conn_trace_id"]
        try require(conn == "-" || (conn.hasPrefix("TID_") && conn.count == 20 && conn.dropFirst(4).allSatisfy(\.isHexDigit)),
                    "conn_trace_id")
    }

    private struct Token {
        var value: String
        var quoted: Bool
    }

    private static func tokens(of line: String) throws(ALBAccessLogParseError) -> [Token] {
        var tokens: [Token] = []
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            if bytes.first == UInt8(ascii: "\"") {
                bytes = bytes.dropFirst()
                guard let end = bytes.firstIndex(of: UInt8(ascii: "\"")) else { throw .init("unterminated quote: \(line)") }
                tokens.append(Token(value: try decodeEscapes(bytes[..<end], line: line), quoted: true))
                bytes = bytes[(end + 1)...]
            } else {
                let end = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.endIndex
                tokens.append(Token(value: String(decoding: bytes[..<end], as: UTF8.self), quoted: false))
                bytes = bytes[end...]
            }
            if bytes.isEmpty { break }
            guard bytes.first == UInt8(ascii: " ") else { throw .init("fields not separated by one space: \(line)") }
            bytes = bytes.dropFirst()
            if bytes.isEmpty { throw .init("trailing space: \(line)") }
        }
        return tokens
    }

    /// `\xNN` to the byte it stands for; any other backslash is an error.
    private static func decodeEscapes(_ bytes: ArraySlice<UInt8>, line: String) throws(ALBAccessLogParseError) -> String {
        var decoded: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\\") {
                guard index + 4 <= bytes.endIndex, bytes[index + 1] == UInt8(ascii: "x"),
                      let value = UInt8(String(decoding: bytes[(index + 2)..<(index + 4)], as: UTF8.self), radix: 16) else {
                    throw .init("bad escape: \(line)")
                }
                decoded.append(value)
                index += 4
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// `2018-07-02T22:23:00.186641Z`.
    private static func isTimestamp(_ text: String) -> Bool {
        let shape = Array("dddd-dd-ddTdd:dd:dd.ddddddZ")
        let chars = Array(text)
        return chars.count == shape.count && zip(chars, shape).allSatisfy { char, expected in
            expected == "d" ? char.isASCII && char.isNumber : char == expected
        }
    }

    private static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return false }
        return (0...65535).contains(port) && text[..<colon].split(separator: ".").count == 4
    }

    /// Seconds with millisecond precision: `0.000`.
    private static func isSeconds(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[0].allSatisfy(\.isNumber) && parts[1].count == 3
            && parts[1].allSatisfy(\.isNumber)
    }
}

/// Why a line is not an ALB access log line.
public struct ALBAccessLogParseError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Reads access log files: `.log.gz` through the system's `gzip -dc` (a real client, which
/// also accepts the several gzip members lbnet appends).
public enum ALBAccessLogFiles {
    /// Every `.log.gz` file below `directory`, sorted.
    public static func files(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".log.gz") }.sorted().map { "\(directory)/\($0)" }
    }

    /// The lines of a `.log.gz` file.
    public static func lines(of file: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ALBAccessLogParseError("gzip -dc \(file) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

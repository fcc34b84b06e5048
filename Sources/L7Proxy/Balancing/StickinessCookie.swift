import Foundation
import NIOHTTP1

/// The stickiness cookies the node sets (`AWSALB`, `AWSALBAPP-0`, `AWSALBTG`) and reads back.
/// A value holds what it sticks to (a target group, or a group and target) and until when, as
/// base64 text. Unlike AWS's, it is not encrypted: a client can read it, and can only name a
/// target the group would use anyway. Browsers keep the cookies 7 days, as AWS sets them;
/// the stickiness itself ends with the duration the value carries, renewed by each response.
enum StickinessCookie {
    static let lbCookie = "AWSALB"
    static let appCookie = "AWSALBAPP"
    static let targetGroupCookie = "AWSALBTG"
    /// How long browsers keep the cookies (AWS: 7 days, not configurable).
    static let cookieLifetimeSeconds = 7 * 86400

    /// The cookie value for `subject`, sticky until `until` (seconds since 1970).
    static func value(subject: String, until: Int) -> String {
        Data("\(subject)\n\(until)".utf8).base64EncodedString()
    }

    /// The subject of a value made by ``value(subject:until:)`` that is still sticky at `now`.
    static func subject(of value: Substring, now: Int) -> Substring? {
        guard let data = Data(base64Encoded: String(value)), let text = String(data: data, encoding: .utf8),
            let newline = text.lastIndex(of: "\n"), let until = Int(text[text.index(after: newline)...]), until > now
        else { return nil }
        return Substring(text[..<newline])
    }

    /// The value of the request cookie `name` (the first one), if any.
    static func requestCookie(_ name: String, in headers: HTTPHeaders) -> Substring? {
        for line in headers[canonicalForm: "Cookie"] {
            for pair in line.split(separator: ";") {
                let pair = pair.trimmingWhitespace
                guard let equals = pair.firstIndex(of: "="), pair[..<equals].trimmingWhitespace == name else { continue }
                return pair[pair.index(after: equals)...].trimmingWhitespace
            }
        }
        return nil
    }

    /// Whether a response sets the cookie `name`.
    static func responseSets(_ name: String, in headers: HTTPHeaders) -> Bool {
        headers[canonicalForm: "Set-Cookie"].contains { line in
            line.split(separator: "=", maxSplits: 1).first.map { $0.trimmingWhitespace == name } ?? false
        }
    }

    /// `Set-Cookie` values for cookie `name` (and its `CORS` twin, `SameSite=None; Secure`, for
    /// cross-origin requests) with `value`, kept by browsers for 7 days from `now`.
    static func setCookies(_ name: String, value: String, now: Int, cors: Bool) -> [String] {
        let expires = HTTPDate.format(epochSeconds: now + cookieLifetimeSeconds)
        let plain = "\(name)=\(value); Expires=\(expires); Path=/"
        return cors ? [plain, "\(name)CORS=\(value); Expires=\(expires); Path=/; SameSite=None; Secure"] : [plain]
    }
}

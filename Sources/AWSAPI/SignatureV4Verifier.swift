import Crypto
import Foundation

/// Checks AWS Signature Version 4 on a request: the access key, the signing date (within 15
/// minutes of now, as AWS allows), the region, and the signature over the canonical request.
/// Failures are AWS's errors (`InvalidClientTokenId`, `SignatureDoesNotMatch`, ...).
public struct SignatureV4Verifier: Sendable {
    public let credentials: APICredentials
    public let region: String
    /// How far a request's date may be from now.
    public static let allowedSkew: TimeInterval = 15 * 60

    public init(credentials: APICredentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// Verifies `request`, signed at about `now`; returns the header's parts (the scope names
    /// the service the client addressed).
    @discardableResult
    public func verify(_ request: SignedRequest, now: Date = Date()) throws(APIError) -> SignatureV4Authorization {
        guard let header = request.header("Authorization") else {
            if request.query.contains("X-Amz-Signature=") {
                throw .incompleteSignature("lbnet accepts SigV4 in the Authorization header only, not in the query string")
            }
            throw .missingAuthentication()
        }
        let authorization = try SignatureV4Authorization(header: header)
        guard authorization.accessKeyId == credentials.accessKeyId else { throw .invalidClientTokenId() }
        guard let stamp = request.header("X-Amz-Date"), let signed = Self.date(stamp) else {
            throw .incompleteSignature("the request must carry an X-Amz-Date header (yyyyMMdd'T'HHmmss'Z')")
        }
        guard authorization.signedHeaders.contains("host") else {
            throw .signatureDoesNotMatch("'Host' must be a 'SignedHeader' in the AWS Authorization.")
        }
        if signed < now - Self.allowedSkew {
            throw .signatureDoesNotMatch("Signature expired: \(stamp) is now earlier than \(Self.stamp(now - Self.allowedSkew)) (\(Self.stamp(now)) - 15 min.)")
        }
        if signed > now + Self.allowedSkew {
            throw .signatureDoesNotMatch("Signature not yet current: \(stamp) is still later than \(Self.stamp(now + Self.allowedSkew)) (\(Self.stamp(now)) + 15 min.)")
        }
        guard stamp.hasPrefix(authorization.date) else {
            throw .signatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(authorization.date)' != '\(stamp.prefix(8))'")
        }
        guard authorization.region == region else {
            throw .signatureDoesNotMatch("Credential should be scoped to a valid region, not '\(authorization.region)'. lbnet's region is '\(region)'.")
        }
        let expected = Self.signature(of: request, authorization: authorization, stamp: stamp, secret: credentials.secretAccessKey)
        guard Self.constantTimeEqual(expected, authorization.signature) else { throw .signatureDoesNotMatch() }
        return authorization
    }

    /// The hex signature of `request` under `authorization`'s scope and signed headers.
    static func signature(of request: SignedRequest, authorization: SignatureV4Authorization, stamp: String, secret: String) -> String {
        let canonical = canonicalRequest(request, signedHeaders: authorization.signedHeaders)
        let stringToSign = ["AWS4-HMAC-SHA256", stamp, authorization.scope, hex(SHA256.hash(data: Array(canonical.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [authorization.date, authorization.region, authorization.service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// Method, canonical URI, canonical query, canonical headers, signed headers and the
    /// payload's hash, one per line, as SigV4 defines them.
    static func canonicalRequest(_ request: SignedRequest, signedHeaders: [String]) -> String {
        let query = request.query.isEmpty ? "" : request.query.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }.sorted { $0 < $1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let headers = signedHeaders.sorted().map { name in
            let value = request.headers.filter { $0.name.lowercased() == name }
                .map { $0.value.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                .joined(separator: ",")
            return "\(name):\(value)\n"
        }.joined()
        let payload = request.header("X-Amz-Content-SHA256") ?? hex(SHA256.hash(data: request.body))
        return [request.method, percentEncode(request.path.isEmpty ? "/" : request.path, keeping: "/~"), query, headers,
                signedHeaders.sorted().joined(separator: ";"), payload].joined(separator: "\n")
    }

    /// RFC 3986 encoding: unreserved characters and those in `keeping` stay, the rest is `%XX`.
    static func percentEncode(_ text: String, keeping: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-_.".contains(character) || keeping.contains(character) {
                encoded.append(character)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func date(_ stamp: String) -> Date? {
        stampFormat.date(from: stamp)
    }

    static func stamp(_ date: Date) -> String { stampFormat.string(from: date) }

    private static var stampFormat: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }
}

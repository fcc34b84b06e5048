import AWSAPI
import Foundation
import Testing

/// SigV4 checks against a request botocore signed (the vector below was made with botocore's
/// `SigV4Auth` for these credentials).
@Suite struct SignatureV4VerifierTests {
    static let credentials = APICredentials(accessKeyId: "AKIAEXAMPLEKEY234567", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let body = "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=web-alb"
    static let signedAt = ISO8601DateFormatter().date(from: "2026-11-28T10:22:58Z")!

    static func request(body: String = body, authorization: String? = """
        AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY234567/20261128/us-east-1/elasticloadbalancing/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date, Signature=1adc5331b961e2e9a9bf06f222566b891110de54e629a986af8f7c3ae473ce1f
        """) -> SignedRequest {
        var headers: [(name: String, value: String)] = [
            ("Host", "127.0.0.1:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("X-Amz-Date", "20261128T102258Z"),
        ]
        if let authorization { headers.append(("Authorization", authorization)) }
        return SignedRequest(method: "POST", path: "/", query: "", headers: headers, body: Array(body.utf8))
    }

    func verify(_ request: SignedRequest, credentials: APICredentials = credentials, region: String = "us-east-1",
                now: Date = signedAt.addingTimeInterval(30)) -> APIError? {
        do {
            try SignatureV4Verifier(credentials: credentials, region: region).verify(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsWhatBotocoreSigned() throws {
        #expect(verify(Self.request()) == nil)
        let authorization = try SignatureV4Verifier(credentials: Self.credentials, region: "us-east-1")
            .verify(Self.request(), now: Self.signedAt)
        #expect(authorization.service == "elasticloadbalancing")
    }

    @Test func refusesAWrongSecretAChangedBodyAndAnotherKey() {
        let wrongSecret = APICredentials(accessKeyId: Self.credentials.accessKeyId, secretAccessKey: "x" + Self.credentials.secretAccessKey.dropFirst())
        #expect(verify(Self.request(), credentials: wrongSecret)?.code == "SignatureDoesNotMatch")
        #expect(verify(Self.request(body: Self.body + "&Names.member.2=other"))?.code == "SignatureDoesNotMatch")
        let otherKey = APICredentials(accessKeyId: "AKIAOTHERKEY23456789", secretAccessKey: Self.credentials.secretAccessKey)
        #expect(verify(Self.request(), credentials: otherKey)?.code == "InvalidClientTokenId")
    }

    @Test func refusesAReplayAfterFifteenMinutesAndAnotherRegion() {
        let replayed = verify(Self.request(), now: Self.signedAt.addingTimeInterval(16 * 60))
        #expect(replayed?.code == "SignatureDoesNotMatch")
        #expect(replayed?.message.hasPrefix("Signature expired: 20261128T102258Z is now earlier than 20261128T102358Z (20261128T103858Z - 15 min.)") == true, "\(String(describing: replayed))")
        #expect(verify(Self.request(), now: Self.signedAt.addingTimeInterval(-16 * 60))?.message.hasPrefix("Signature not yet current") == true)
        #expect(verify(Self.request(), region: "eu-west-1")?.message.contains("'us-east-1'") == true)
    }

    @Test func refusesUnsignedAndMalformedRequests() {
        #expect(verify(Self.request(authorization: nil)) == .missingAuthentication())
        #expect(verify(Self.request(authorization: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY234567"))?.code == "IncompleteSignature")
        #expect(verify(Self.request(authorization: "Basic dXNlcjpwYXNz"))?.code == "IncompleteSignature")
    }
}

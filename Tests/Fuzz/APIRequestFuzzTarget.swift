import Foundation
@testable import AWSAPI

/// Any bytes as a request to the AWS API endpoint. The first byte picks how the rest is used:
/// even, as `Authorization-header\nbody` (the SigV4 parser and verifier see hostile headers);
/// odd, as a form body that is then correctly signed, so the Query parser, the service and
/// action dispatch and the XML writer see hostile parameters. Every answer is an HTTP status
/// with a well-formed body; nothing crashes.
struct APIRequestFuzzTarget: FuzzTarget {
    static let name = "api-request"
    static let credentials = APICredentials(accessKeyId: "AKIAFUZZFUZZFUZZFUZZ", secretAccessKey: "fuzz/secret/key/for/the/endpoint/target")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let stamp = "20270115T080000Z"

    func run(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        let rest = Array(input.dropFirst())
        let request: SignedRequest
        if mode % 2 == 0 {
            let split = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let header = String(decoding: rest[..<split], as: UTF8.self)
            request = Self.request(body: Array(rest[min(split + 1, rest.endIndex)...]), authorization: header)
        } else {
            request = Self.signed(body: rest)
        }
        let verifier = SignatureV4Verifier(credentials: Self.credentials, region: "us-east-1")
        let processor = APIRequestProcessor(authentication: .signatureV4(verifier), backend: EchoBackend())
        let answer = Self.blocking { await processor.process(request, now: Self.now) }
        guard (200..<600).contains(answer.status), answer.body.hasPrefix("<?xml") || answer.body.hasPrefix("<") else {
            fatalError("answer \(answer.status) is not an XML document: \(answer.body.prefix(80))")
        }
    }

    static func request(body: [UInt8], authorization: String) -> SignedRequest {
        SignedRequest(method: "POST", path: "/", query: "", headers: [
            ("Host", "127.0.0.1:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("X-Amz-Date", stamp), ("Authorization", authorization),
        ], body: body)
    }

    /// `body` with a valid SigV4 signature for elasticloadbalancing in us-east-1.
    static func signed(body: [UInt8]) -> SignedRequest {
        let scope = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(stamp.prefix(8))/us-east-1/elasticloadbalancing/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="
        let unsigned = request(body: body, authorization: scope + String(repeating: "0", count: 64))
        guard let authorization = try? SignatureV4Authorization(header: scope + String(repeating: "0", count: 64)) else {
            fatalError("the fuzz target's own Authorization header does not parse")
        }
        let signature = SignatureV4Verifier.signature(of: unsigned, authorization: authorization, stamp: stamp,
                                                      secret: credentials.secretAccessKey)
        return request(body: body, authorization: scope + signature)
    }

    /// Waits on libFuzzer's thread for the processor's answer.
    private static func blocking(_ body: @escaping @Sendable () async -> (status: Int, body: String)) -> (status: Int, body: String) {
        let result = ResultBox<(status: Int, body: String)>()
        let done = DispatchSemaphore(value: 0)
        Task {
            result.set(.success(await body()))
            done.signal()
        }
        done.wait()
        guard case .success(let answer) = result.get() else { fatalError("unreachable: the processor does not throw") }
        return answer
    }
}

/// A backend that answers every call with its parameters, so hostile names and values reach
/// the XML writer.
private struct EchoBackend: APIBackend {
    func handle(_ call: APICall) async throws(APIError) -> [XMLNode] {
        guard call.action.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw APIError("InvalidAction", "The action \(call.action) is not valid for this endpoint.")
        }
        return call.parameters.values.sorted { $0.key < $1.key }.map { .element("member", [.text("key", $0.key), .text("value", $0.value)]) }
    }
}

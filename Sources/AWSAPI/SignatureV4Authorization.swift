/// The parts of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
public struct SignatureV4Authorization: Sendable, Equatable {
    public let accessKeyId: String
    /// `yyyyMMdd`.
    public let date: String
    public let region: String
    public let service: String
    public let signedHeaders: [String]
    public let signature: String

    public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

    /// Parses the header; a malformed one is AWS's `IncompleteSignature`.
    public init(header: String) throws(APIError) {
        let algorithm = "AWS4-HMAC-SHA256 "
        guard header.hasPrefix(algorithm) else {
            throw .incompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst(algorithm.count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: " ").split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .incompleteSignature("Authorization header field '\(part)' is not NAME=VALUE") }
            fields[String(pair[0])] = String(pair[1])
        }
        for name in ["Credential", "SignedHeaders", "Signature"] where fields[name] == nil {
            throw .incompleteSignature("Authorization header requires '\(name)' parameter")
        }
        let credential = fields["Credential"]!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, credential[4] == "aws4_request", credential[1].count == 8 else {
            throw .incompleteSignature("Credential '\(fields["Credential"]!)' is not ACCESS_KEY/yyyyMMdd/REGION/SERVICE/aws4_request")
        }
        accessKeyId = credential[0]
        date = credential[1]
        region = credential[2]
        service = credential[3]
        signedHeaders = fields["SignedHeaders"]!.split(separator: ";").map { $0.lowercased() }
        signature = fields["Signature"]!.lowercased()
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> Substring {
        var text = Substring(self)
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return text
    }
}

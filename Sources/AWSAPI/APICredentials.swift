/// The one access key pair of a state directory's API: every request must be signed with it.
public struct APICredentials: Codable, Sendable, Equatable {
    public let accessKeyId: String
    public let secretAccessKey: String

    public init(accessKeyId: String, secretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }

    /// A new random pair in AWS's shapes: `AKIA` and 16 characters of A-Z2-7; a 40-character
    /// secret of letters, digits, `+` and `/`.
    public static func generate() -> APICredentials {
        var random = SystemRandomNumberGenerator()
        let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return APICredentials(
            accessKeyId: "AKIA" + String((0..<16).map { _ in keyAlphabet.randomElement(using: &random)! }),
            secretAccessKey: String((0..<40).map { _ in secretAlphabet.randomElement(using: &random)! }))
    }
}

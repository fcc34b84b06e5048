/// Why a certificate of the `certificates` section cannot be used, naming the field at fault
/// (`certificateFile`, `privateKeyFile`, `chainFile`, `domainNames`) when there is one.
public struct CertificateError: Error, CustomStringConvertible, Sendable {
    public let field: String?
    public let message: String

    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

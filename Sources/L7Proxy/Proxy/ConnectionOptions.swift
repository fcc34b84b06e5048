import NIOHTTP1

/// The header names a message's `Connection` field lists (RFC 9110 section 7.6.1): they
/// describe that connection only and are not forwarded. Almost always none.
struct ConnectionOptions {
    private let lowercasedNames: Set<String>

    init(_ headers: HTTPHeaders) {
        let values = headers["Connection"]
        lowercasedNames = values.isEmpty ? [] : Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace.lowercased() })
    }

    /// Whether `name` is listed, in any letter case.
    func lists(_ name: String) -> Bool {
        !lowercasedNames.isEmpty && lowercasedNames.contains(name.lowercased())
    }
}

/// An absolute-form request target (`http://example.com:8080/path?q`), split into the authority
/// that replaces `Host` and the origin-form target the node routes and forwards (RFC 9112
/// section 3.2.2).
struct AbsoluteFormTarget {
    var authority: String
    var originForm: String

    init?(_ target: String) {
        guard !target.hasPrefix("/"), let schemeEnd = target.range(of: "://") else { return nil }
        let scheme = target[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = target[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard authorityEnd > rest.startIndex else { return nil }
        authority = String(rest[..<authorityEnd])
        let path = rest[authorityEnd...]
        originForm = path.hasPrefix("/") ? String(path) : "/" + path
    }
}

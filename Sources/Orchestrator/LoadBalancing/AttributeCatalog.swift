/// The attributes AWS lists for one load balancer type, its listeners and its target groups,
/// each with its values, its default and what lbnet does with it (``NetworkAttributeCatalog``,
/// ``ApplicationAttributeCatalog``). The validator, the API's describe and modify calls and
/// README's tables read them through this.
public protocol AttributeCatalog {
    /// The type as AWS's messages name it: `network`, `application`.
    static var loadBalancerType: String { get }
    static var all: [NetworkAttributeCatalog.Attribute] { get }
}

extension AttributeCatalog {
    /// Every attribute of `scope` with its default in `context`, as a describe call lists them
    /// (attributes of Lambda targets are not listed: lbnet has none).
    public static func defaults(_ scope: NetworkAttributeCatalog.Scope, _ context: NetworkAttributeCatalog.Context) -> [(String, String)] {
        all.filter { $0.scope == scope && $0.support != .lambdaTargetsOnly }.map { ($0.name, $0.defaultValue(context)) }
    }

    /// The attribute called `name` in `scope`, if AWS lists it for this load balancer type.
    public static func attribute(_ name: String, in scope: NetworkAttributeCatalog.Scope) -> NetworkAttributeCatalog.Attribute? {
        all.first { $0.name == name && $0.scope == scope }
    }
}

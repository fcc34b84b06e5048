/// Namespace for lbnet's HTTP layer: the built-in target server and the ALB proxy.
public enum L7Proxy {}

/// The keep-alive connections to one target parked in an ``UpstreamPool``, the most recently
/// parked last. A class, so that taking and parking one change the list in place through a
/// plain dictionary read: the dictionary's in-place accessor allocates its frame on every call.
/// Confined to the pool's event loop.
final class ParkedConnections {
    var connections: [UpstreamConnection] = []
}

import AWSAPI
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The daemon's AWS API service: the endpoint with the state directory's credentials (made at
/// the first start) and lbnet's backend. An address that cannot be bound is logged and shown
/// by `status`; the daemon goes on without the API.
struct APIEndpoint: Service {
    let options: APIOptions
    let deployment: Deployment
    let backend: LBNetAPIBackend
    let endpoints: DaemonEndpoints
    let logger: Logger

    func run() async throws {
        guard let host = options.host else {
            endpoints.set("api", "off")
            return try await gracefulShutdown()
        }
        let authentication: APIAuthentication
        if options.requireSignature {
            let credentials = try APICredentialStore(directory: deployment.directory).loadOrCreate()
            authentication = .signatureV4(SignatureV4Verifier(credentials: credentials, region: AWSIdentity.region))
        } else {
            authentication = .none
            logger.warning("the AWS API accepts unsigned requests (--api-auth none): any local user can change the topology")
        }
        let scheme = options.requireSignature ? "SigV4" : "no authentication"
        let server = APIServer(host: host, port: options.port, processor: APIRequestProcessor(authentication: authentication, backend: backend),
                               group: MultiThreadedEventLoopGroup.singleton, logger: logger) { [endpoints, options] address in
            endpoints.set("api", "http://\(address.ipAddress ?? host):\(address.port ?? options.port) (\(scheme), region \(AWSIdentity.region))")
        }
        do {
            try await server.run()
        } catch {
            endpoints.set("api", "not listening on \(host):\(options.port): \(error)")
            logger.error("the AWS API cannot listen", metadata: ["address": "\(host):\(options.port)", "error": "\(error)"])
            try await gracefulShutdown()
        }
    }
}

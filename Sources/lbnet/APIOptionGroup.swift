import ArgumentParser
import Orchestrator

/// How a daemon serves the AWS API (`lbnet daemon`, and `lbnet up` when it starts one).
struct APIOptionGroup: ParsableArguments {
    @Option(help: "Where the AWS API (ELBv2, EC2, STS) listens: HOST:PORT, or 'off'.")
    var apiListen: String = APIOptions.defaultListen

    @Option(help: "'sigv4': every call must be signed with this state directory's key ('lbnet credentials'); 'none': no check (throwaway CI containers only).")
    var apiAuth: String = "sigv4"

    func validate() throws {
        guard ["sigv4", "none"].contains(apiAuth) else { throw ValidationError("--api-auth must be 'sigv4' or 'none'") }
        _ = try options()
    }

    func options() throws -> APIOptions {
        do {
            return try APIOptions(listen: apiListen, requireSignature: apiAuth == "sigv4")
        } catch {
            throw ValidationError(error.description)
        }
    }
}

import Foundation
import Kernel
import Logging
import ServiceLifecycle

/// The daemon's runtime: one loop that owns the applied model, the NLB target health and the
/// draining targets. It carries out `up` (observe, plan, apply; processes through the
/// supervisor), and turns health and drain-deadline events into O(change) updates of the one
/// node's datapath they concern, never into a whole reconcile.
public final class Runtime: Service {
    let deployment: Deployment
    let supervisor: ProcessSupervisor
    let monitor: HealthMonitor
    let kernel: KernelWorker
    let endpoints: DaemonEndpoints
    let dns: DNSAnswerer?
    let logger: Logger
    private let jobs: AsyncStream<RuntimeJob>
    private let queue: AsyncStream<RuntimeJob>.Continuation

    public init(deployment: Deployment, supervisor: ProcessSupervisor, monitor: HealthMonitor, kernel: KernelWorker,
                endpoints: DaemonEndpoints = DaemonEndpoints(), dns: DNSAnswerer? = nil, logger: Logger) {
        self.deployment = deployment
        self.supervisor = supervisor
        self.monitor = monitor
        self.kernel = kernel
        self.endpoints = endpoints
        self.dns = dns
        self.logger = logger
        (jobs, queue) = AsyncStream.makeStream(of: RuntimeJob.self)
    }

    /// Answers one control request (`shutdown` is the daemon's, not the runtime's).
    public func handle(_ request: DaemonRequest, reply: @escaping @Sendable (DaemonReply) async -> Void) async -> DaemonReply {
        switch request {
        case .apply(let text, let source):
            return await withCheckedContinuation { queue.yield(.apply(text: text, source: source, reply: reply, done: $0)) }
        case .plan(let text, let source):
            return await withCheckedContinuation { queue.yield(.plan(text: text, source: source, reply: reply, done: $0)) }
        case .status:
            await reply(.status(await withCheckedContinuation { queue.yield(.status($0)) }))
            return .done(count: 0)
        case .report:
            let answer = await withCheckedContinuation { queue.yield(.report($0)) }
            guard case .report = answer else { return answer }
            await reply(answer)
            return .done(count: 0)
        case .awaitReady(let seconds):
            return await awaitReady(within: .milliseconds(Int64(max(0, seconds) * 1000)), reply: reply)
        case .shutdown:
            return .failed("shutdown is handled by the daemon")
        }
    }

    public func run() async throws {
        var state = RuntimeState(model: try? deployment.appliedModel(), draining: (try? deployment.directory.loadDraining()) ?? [])
        monitor.update(HealthCheckTargets.of(state.model, naming: deployment.naming))
        await dns?.update(state.model, naming: deployment.naming)
        let events = monitor.events
        let queue = self.queue
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await event in events { queue.yield(.health(event)) }
            }
            var drainTimer: Task<Void, Never>?
            await withGracefulShutdownHandler {
                for await job in jobs {
                    await perform(job, state: &state)
                    drainTimer?.cancel()
                    drainTimer = state.nextDrainDeadline.map { deadline in
                        Task {
                            try? await Task.sleep(for: .seconds(max(0, deadline - Date().timeIntervalSince1970)))
                            if !Task.isCancelled { queue.yield(.drainDeadline) }
                        }
                    }
                }
            } onGracefulShutdown: {
                queue.finish()
            }
            drainTimer?.cancel()
            group.cancelAll()
        }
    }

    private func perform(_ job: RuntimeJob, state: inout RuntimeState) async {
        switch job {
        case .apply(let text, let source, let reply, let done):
            done.resume(returning: await apply(.text(text, name: source), reply: reply, state: &state))
        case .plan(let text, let source, let reply, let done):
            do {
                let planned = try await plan(.text(text, name: source), state: state)
                for change in planned.changes { await reply(.change(change.description)) }
                done.resume(returning: .done(count: planned.changes.count))
            } catch {
                done.resume(returning: .failed(String(describing: error)))
            }
        case .status(let done):
            done.resume(returning: status(of: state))
        case .report(let done):
            let deployment = self.deployment
            let runtime = status(of: state)
            do {
                // A session of its own: the report opens sockets in every namespace, which the
                // runtime's session must not keep open.
                done.resume(returning: .report(try await kernel.run { _ in
                    try deployment.statusReport(runtime: runtime, session: KernelSession())
                }))
            } catch {
                done.resume(returning: .failed(String(describing: error)))
            }
        case .health(let event):
            state.health.nodes[event.node, default: [:]][event.key] = event.health
            await updateDatapath(of: event.node, because: "\(event.key) is \(event.health.state.rawValue)", state: &state)
        case .drainDeadline:
            let now = Date().timeIntervalSince1970
            var expired = state.draining.filter { $0.deadline <= now }
            guard !expired.isEmpty else { return }
            let lingering = await lingeringOnIPVS(expired, state: state)
            expired.removeAll { lingering.contains($0) }
            state.draining.removeAll { $0.deadline <= now }
            state.draining += lingering.map { $0.until(now + FlowTermination.lingerRecheckSeconds) }
            // Flows are cut before their targets leave the datapath (at weight 0 they get no new
            // ones): whoever sees a target gone from the node sees its flows gone too.
            for node in Set(expired.map(\.node)).sorted() {
                await cutFlows(of: expired.filter { $0.node == node }, state: state)
                await updateDatapath(of: node, because: "deregistration delay ended", state: &state)
            }
            // Recorded last: once a target is no longer shown draining, its flows are cut too (a
            // crash before this line leaves the drain expired, and the next daemon ends it again).
            do { try deployment.directory.saveDraining(state.draining) } catch {
                logger.error("cannot record draining targets", metadata: ["error": "\(error)"])
            }
        }
    }

    private func status(of state: RuntimeState) -> RuntimeStatus {
        RuntimeStatus(pid: getpid(), processes: supervisor.processes(), health: state.health, draining: state.draining,
                      datapathUpdates: state.datapathUpdates, reconciles: state.reconciles, endpoints: endpoints.all)
    }

    /// The status report, built in the job loop (nil when it cannot be built, e.g. before the
    /// first `up`).
    func report() async -> StatusReport? {
        guard case .report(let report) = await withCheckedContinuation({ queue.yield(.report($0)) }) else { return nil }
        return report
    }

    /// Checks the status report until nothing is left to wait for, or `limit` has passed; then
    /// replies with what is not ready (nothing, when all is). Runs beside the job loop, so
    /// health events go on changing the datapath while it waits.
    private func awaitReady(within limit: Duration, reply: @Sendable (DaemonReply) async -> Void) async -> DaemonReply {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            let answer = await withCheckedContinuation { queue.yield(.report($0)) }
            guard case .report(let report) = answer else { return answer }
            let waiting = report.notReady
            if waiting.isEmpty || clock.now >= deadline {
                await reply(.readiness(notReady: waiting))
                return .done(count: 0)
            }
            do {
                try await Task.sleep(for: min(.milliseconds(250), deadline - clock.now))
            } catch {
                return .failed("stopped while waiting for readiness")
            }
        }
    }

    private func plan(_ source: StateSource, state: RuntimeState) async throws -> DeploymentPlan {
        let running = supervisor.processes().compactMapValues { $0.pid == nil ? nil : $0.spec }
        let deployment = self.deployment
        let health = state.health
        return try await kernel.run { session in
            try deployment.directory.withLock { try deployment.makePlan(source, processes: running, health: health, session: session) }
        }
    }

    /// Carries out one `up`: plans, reports every step, stops what goes, applies the kernel and
    /// file steps, starts what is new, and waits until every ALB node serves its new file. How
    /// many steps are made is reported as they are.
    private func apply(_ source: StateSource, reply: @escaping @Sendable (DaemonReply) async -> Void,
                       state: inout RuntimeState) async -> DaemonReply {
        state.reconciles += 1
        let planned: DeploymentPlan
        do {
            planned = try await plan(source, state: state)
        } catch {
            return .failed(String(describing: error))
        }
        for change in planned.changes { await reply(.change(change.description)) }
        let total = planned.changes.count
        let (made, progress) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let forwarding = Task { for await done in made { await reply(.progress(done: done, total: total)) } }
        let answer = await carryOut(planned, progress: progress, state: &state)
        progress.finish()
        await forwarding.value
        return answer
    }

    private func carryOut(_ planned: DeploymentPlan, progress: AsyncStream<Int>.Continuation, state: inout RuntimeState) async -> DaemonReply {
        do {
            let processes = planned.fabric.processes
            let later = Set(planned.changes.compactMap { change -> String? in
                switch change {
                case .startProcess(let p), .restartProcess(let p): p.name
                default: nil
                }
            })
            let stops = planned.changes.filter { if case .stopProcess = $0 { true } else { false } }.count
            if stops > 0 || !later.isEmpty {
                try await supervisor.apply(processes.filter { !later.contains($0.name) })
                progress.yield(stops)
            }
            let deployment = self.deployment
            try await kernel.run { session in
                try deployment.directory.withLock { try deployment.apply(planned, session: session) { progress.yield(stops + $0) } }
            }
            if !later.isEmpty { try await supervisor.apply(processes) }
            progress.yield(planned.changes.count)
            let supervisor = self.supervisor
            try await deployment.reloadProxies(planned) { node in supervisor.processes()[node]?.pid != nil }
            try await kernel.resetSession()
            state.model = planned.model
            state.draining = planned.draining
            state.nodes = Dictionary(planned.fabric.nodeDatapaths.map { ($0.node, $0) }, uniquingKeysWith: { first, _ in first })
            monitor.update(HealthCheckTargets.of(planned.model, naming: deployment.naming))
            state.health = monitor.record()
            await dns?.update(planned.model, naming: deployment.naming)
            return .done(count: planned.changes.count)
        } catch {
            return .failed(String(describing: error))
        }
    }

    /// The expired drains that stay because IPVS still holds connections their group lets live on.
    private func lingeringOnIPVS(_ expired: [DrainingBackend], state: RuntimeState) async -> [DrainingBackend] {
        guard let model = state.model else { return [] }
        let specs = state.nodes
        do {
            return try await kernel.run { session in try FlowTermination.lingering(expired, in: model, specs: specs, session: session) }
        } catch {
            logger.error("cannot count the connections of draining IPVS targets", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Cuts the flows of targets whose deregistration delay ended on one node, where their target
    /// group asks for it (``FlowTermination``).
    private func cutFlows(of expired: [DrainingBackend], state: RuntimeState) async {
        guard let model = state.model, let node = expired.first?.node, let spec = state.nodes[node] else { return }
        let cut = expired.filter { FlowTermination.cutsFlows($0, in: model) }
        guard !cut.isEmpty else { return }
        do {
            let count = try await kernel.run { session in
                try FlowTermination.cut(cut.map(FlowTermination.Flows.init), through: spec, session: session)
            }
            logger.info("flows cut at the end of the deregistration delay", metadata: [
                "node": "\(node)", "targets": "\(cut.map { "\($0.address):\($0.port)" }.joined(separator: " "))", "flows": "\(count)",
            ])
        } catch {
            logger.error("cutting flows failed", metadata: ["node": "\(node)", "error": "\(error)"])
        }
    }

    /// Recomputes one node's datapath from the model, health and draining targets and, when it
    /// differs from what the node holds, changes only that.
    private func updateDatapath(of node: String, because reason: String, state: inout RuntimeState) async {
        guard let model = state.model, let spec = state.nodeSpec(node, naming: deployment.naming, model: model) else { return }
        let previous = state.nodes[node]
        guard spec != previous else { return }
        do {
            let count = try await kernel.run { session in try NodeDatapathUpdater(session: session).update(from: previous, to: spec) }
            state.nodes[node] = spec
            state.datapathUpdates += 1
            logger.info("datapath updated without a reconcile", metadata: [
                "node": "\(node)", "reason": "\(reason)", "kernel_changes": "\(count)",
                "weights": "\(spec.listeners.flatMap { $0.backends.map { "\($0.address):\($0.port)=\($0.weight)" } }.joined(separator: " "))",
            ])
        } catch {
            state.nodes[node] = nil
            logger.error("datapath update failed; the next 'up' repairs it", metadata: ["node": "\(node)", "error": "\(error)"])
        }
    }
}

import Foundation
import OnboardingEngine
import OnboardingPersistence
import Simulation
import Synchronization

/// Which engine store replicates run on.
public enum StoreKind: String, Sendable, CaseIterable {
    case memory, sqlite
}

/// How an experiment is executed.
public struct RunOptions: Sendable {
    public var store: StoreKind
    public var threads: Int
    /// Where SQLite databases are kept (`engine.sqlite` for a single replicate, `engine-c<c>-r<r>.sqlite`
    /// otherwise); nil keeps them in memory. Ignored for the memory store.
    public var databaseDirectory: String?
    public var shard: Shard?
    /// Run exactly these items instead of the plan's (racing in `tune`).
    public var items: [WorkItem]?
    /// Replicates already finished (read from checkpoints by `--resume`): returned as they are, not run again.
    public var completed: [ReplicateOutcome] = []
    /// Called from the worker thread as soon as a replicate finishes (a checkpoint); an error stops the run.
    public var onFinish: (@Sendable (ReplicateOutcome) throws -> Void)?
    /// With `run --export-users`: makes the receiver of each replicate's users (called on the worker thread).
    public var userSink: (@Sendable (WorkItem) throws -> any UserSink)?

    public init(
        store: StoreKind, threads: Int = 1, databaseDirectory: String? = nil, shard: Shard? = nil,
        items: [WorkItem]? = nil
    ) {
        self.store = store
        self.threads = max(1, threads)
        self.databaseDirectory = databaseDirectory
        self.shard = shard
        self.items = items
    }
}

/// Receives the users of one replicate as they are assigned (`run --export-users`); `finish` is called once the
/// replicate has completed, before its checkpoint.
public protocol UserSink: AnyObject {
    func add(_ user: ExportedUser) throws
    func finish() throws
}

/// One finished replicate.
public struct ReplicateOutcome: Sendable {
    public var item: WorkItem
    public var result: ReplicateResult

    public init(item: WorkItem, result: ReplicateResult) {
        self.item = item
        self.result = result
    }
}

/// Runs the replicates of a plan in parallel (SPEC §3). Results come back ordered by (configuration, replicate)
/// whatever the thread count or completion order; each replicate owns its streams and store, so nothing is shared
/// between threads but the result slots.
public enum ExperimentRunner {
    /// Progress is reported as (replicate-days done, replicate-days in all), from any thread.
    public static func run(
        _ plan: ExperimentPlan, options: RunOptions, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> [ReplicateOutcome] {
        let planned =
            options.items
            ?? plan.tasks.enumerated().filter { options.shard?.contains(position: $0.offset) ?? true }.map(\.element)
        let done = Dictionary(options.completed.map { ($0.item, $0) }, uniquingKeysWith: { first, _ in first })
        let items = planned.filter { done[$0] == nil }
        let state = RunState(count: items.count, totalDays: items.count * plan.horizonDays)
        let singleDatabase = planned.count == 1 && plan.configurations.count == 1
        let work: @Sendable (Int) -> Void = { _ in
            while let i = state.next() {
                let item = items[i]
                do {
                    let store: any EngineStore
                    switch options.store {
                    case .memory:
                        store = MemoryStore(
                            outcomeRetentionMinutes: plan.configurations[item.config].simulation.world
                                .outcomeRetentionMinutes)
                    case .sqlite:
                        if let dir = options.databaseDirectory {
                            let name =
                                singleDatabase ? "engine.sqlite" : "engine-c\(item.config)-r\(item.replicate).sqlite"
                            let path = (dir as NSString).appendingPathComponent(name)
                            try? FileManager.default.removeItem(atPath: path)
                            store = try SQLiteStore(path: path, mode: .createOrMigrate, durability: .simulation)
                        } else {
                            store = try SQLiteStore()
                        }
                    }
                    let runner = try ReplicateRunner(
                        config: plan.configurations[item.config].simulation, replicate: item.replicate, store: store)
                    runner.recordFlows = plan.recordsFlows
                    let sink = try options.userSink?(item)
                    if let sink { runner.exportUser = { try sink.add($0) } }
                    let result = try runner.run { _ in
                        if let progress { progress(state.dayDone(), state.totalDays) }
                    }
                    try sink?.finish()
                    let outcome = ReplicateOutcome(item: item, result: result)
                    try options.onFinish?(outcome)
                    state.finish(i, outcome)
                } catch {
                    state.fail(error)
                }
            }
        }
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(items.count, 1)), execute: work)
        let ran = Dictionary(try state.results().map { ($0.item, $0) }, uniquingKeysWith: { first, _ in first })
        return planned.compactMap { ran[$0] ?? done[$0] }
    }
}

/// The shared state of one run: the next work item, result slots, the first error.
final class RunState: Sendable {
    struct Inner {
        var next = 0
        var results: [ReplicateOutcome?]
        var error: (any Error)?
        var daysDone = 0
    }

    let inner: Mutex<Inner>
    let count: Int
    let totalDays: Int

    init(count: Int, totalDays: Int) {
        self.count = count
        self.totalDays = totalDays
        inner = Mutex(Inner(results: Array(repeating: nil, count: count)))
    }

    func next() -> Int? {
        inner.withLock { s in
            guard s.error == nil, s.next < count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    func dayDone() -> Int {
        inner.withLock { s in
            s.daysDone += 1
            return s.daysDone
        }
    }

    func finish(_ i: Int, _ outcome: ReplicateOutcome) { inner.withLock { $0.results[i] = outcome } }

    func fail(_ error: any Error) { inner.withLock { s in if s.error == nil { s.error = error } } }

    func results() throws -> [ReplicateOutcome] {
        try inner.withLock { s in
            if let error = s.error { throw error }
            return s.results.compactMap { $0 }
        }
    }
}

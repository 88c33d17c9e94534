/// A task a distributed worker runs: a source or a sink runner.
enum RunningTask {
    case source(SourceTaskRunner)
    case sink(SinkTaskRunner)

    func stop() {
        switch self {
        case let .source(runner): runner.stop()
        case let .sink(runner): runner.stop()
        }
    }

    func join() {
        switch self {
        case let .source(runner): runner.join()
        case let .sink(runner): runner.join()
        }
    }

    var state: SourceTaskRunner.State {
        switch self {
        case let .source(runner): return runner.state
        case let .sink(runner): return runner.state
        }
    }

    var error: (any Error)? {
        switch self {
        case let .source(runner): return runner.error
        case let .sink(runner): return runner.error
        }
    }
}

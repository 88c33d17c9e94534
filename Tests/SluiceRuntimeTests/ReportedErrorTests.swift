import Foundation
import Testing

@testable import SluiceRuntime

private struct Oops: Error, CustomStringConvertible {
    var description: String { "it broke" }
}

/// Swift errors described as Kafka Connect describes exceptions in dead letters.
@Suite("ReportedError")
struct ReportedErrorTests {
    @Test("the class name is module-qualified and the same in every build, also for private types")
    func className() {
        #expect(ReportedError.typeName(of: ConversionError.malformed("x")) == "SluiceRuntime.ConversionError")
        #expect(String(reflecting: Oops.self).contains("unknown context"), "Swift's own name carries a per-build part")
        #expect(ReportedError.typeName(of: Oops()) == "SluiceRuntimeTests.Oops")
        #expect(
            ReportedError.stableTypeName("M.(unknown context at $1a2b3c).Outer.(unknown context at $4d).Inner")
                == "M.Outer.Inner")
        #expect(ReportedError.stableTypeName("M.Plain") == "M.Plain")
    }

    @Test("the trace says what failed, its case, where, and what it wraps")
    func trace() {
        let reported = ReportedError(
            ConversionError.malformed("expected JSON at byte 0"), stage: "VALUE_CONVERTER",
            executingClass: "org.apache.kafka.connect.json.JsonConverter", connector: "orders", taskID: 2)
        #expect(reported.className == "SluiceRuntime.ConversionError")
        #expect(reported.message == "expected JSON at byte 0")
        #expect(
            reported.trace == """
                SluiceRuntime.ConversionError: expected JSON at byte 0
                \tcase: malformed
                \tat org.apache.kafka.connect.json.JsonConverter (stage VALUE_CONVERTER, connector orders, task 2)
                """)
        let wrapped = NSError(domain: "db", code: 7, userInfo: [NSUnderlyingErrorKey: Oops()])
        let outer = ReportedError(wrapped, stage: "TASK_POLL", executingClass: "T", connector: "c", taskID: 0)
        #expect(outer.trace.hasSuffix("\nCaused by: SluiceRuntimeTests.Oops: it broke"), "\(outer.trace)")
        #expect(!outer.trace.contains("case:"), "a struct has no case")
    }
}

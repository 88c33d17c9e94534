import Foundation
import SluiceRuntime
import Testing

@testable import SluiceHTTP

@Suite("REST authentication and error mapping")
struct RestAuthenticationTests {
    @Test("bearer tokens must match exactly")
    func bearer() {
        let auth = RestAuthentication.bearer(token: "abc123")
        #expect(auth.accepts("Bearer abc123"))
        #expect(!auth.accepts("Bearer abc12"))
        #expect(!auth.accepts("Bearer abc1234"))
        #expect(!auth.accepts("bearer abc123"))
        #expect(!auth.accepts(nil))
        #expect(!auth.accepts("Basic YWJjMTIz"))
    }

    @Test("basic credentials: known user and right password only; malformed headers are refused")
    func basic() {
        let auth = RestAuthentication.basic(users: ["admin": "pa:ss"])
        func header(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        #expect(auth.accepts(header("admin:pa:ss")), "a password may contain ':'")
        #expect(!auth.accepts(header("admin:pass")))
        #expect(!auth.accepts(header("root:pa:ss")))
        #expect(!auth.accepts(header("admin")))
        #expect(!auth.accepts("Basic !!!not-base64"))
        #expect(RestAuthentication.none.accepts(nil))
    }

    @Test("constant-time comparison agrees with ==")
    func comparison() {
        for (a, b) in [("", ""), ("a", ""), ("", "a"), ("abc", "abc"), ("abc", "abd"), ("abc", "abcd")] {
            #expect(RestAuthentication.constantTimeEquals(a, b) == (a == b), "\(a) vs \(b)")
        }
    }

    @Test("errors map to Kafka Connect's status codes")
    func errorCodes() {
        let cases: [(any Error, Int)] = [
            (HerderError.notFound("x"), 404), (HerderError.alreadyExists("x"), 409), (HerderError.rebalancing, 409),
            (HerderError.badRequest("x"), 400), (HerderError.tasksStillStopping("x"), 409),
            (RuntimeError.invalidConnectorConfig(connector: "x", problems: [ConfigProblem(name: "a", value: nil, message: "m")]), 400),
            (RuntimeError.unknownConnectorClass("Nope", known: ["datagen"]), 400),
            (CocoaError(.fileNoSuchFile), 500),
        ]
        for (error, code) in cases {
            #expect(Int(ConnectRoutes.response(for: error).status.code) == code, "\(error)")
        }
    }
}

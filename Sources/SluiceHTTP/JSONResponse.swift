import Foundation
import Hummingbird

/// Builds the JSON responses of the Kafka Connect REST API.
enum JSONResponse {
    /// `object` (dictionaries, arrays, strings, numbers, booleans, NSNull) as JSON.
    static func make(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error as Kafka Connect sends it: `{"error_code": N, "message": "..."}`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        make(status, ["error_code": Int(status.code), "message": message])
    }

    /// An empty response (204 and friends).
    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }
}

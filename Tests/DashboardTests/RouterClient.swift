import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded

/// Requests through the dashboard's router in process: the request is built as the server would build it and the
/// response body collected, with no socket. (The same idea as HummingbirdTesting's `.router` mode, whose product
/// would bring AsyncHTTPClient and BoringSSL into the test build; the real server over loopback is covered by
/// `BrowserTests` and `ServeSchedulerTests`.)
struct RouterClient: Sendable {
    let responder: RouterResponder<BasicRequestContext>

    init(router: Router<BasicRequestContext>) {
        responder = router.buildResponder()
    }

    /// What the router answered.
    struct TestResponse: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    /// Runs `body` with this client (the shape of HummingbirdTesting's `app.test(.router) { client in … }`).
    func test<Value>(_ body: (RouterClient) async throws -> Value) async throws -> Value {
        try await body(self)
    }

    /// Sends one request; an error the router throws (as the server would answer it) becomes a 500, as in
    /// HummingbirdTesting's router mode, so a route that leaks an error fails its status check.
    @discardableResult
    func execute<Value>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        testCallback: (TestResponse) async throws -> Value
    ) async throws -> Value {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer()))
        let context = BasicRequestContext(
            source: ApplicationRequestContextSource(
                channel: NIOAsyncTestingChannel(), logger: Logger(label: "dashboard-tests")))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch {
            response = Response(status: .internalServerError)
        }
        let collected = Collected()
        try await response.body.write(CollectingWriter(collected: collected))
        return try await testCallback(
            TestResponse(status: response.status, headers: response.headers, body: collected.buffer))
    }

    /// The body bytes, shared between the writer (consumed by `write`) and the caller.
    final class Collected: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    struct CollectingWriter: ResponseBodyWriter {
        let collected: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            collected.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

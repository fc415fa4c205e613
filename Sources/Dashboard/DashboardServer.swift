import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OnboardingEngine
import OnboardingPersistence

/// The dashboard's HTTP routes (README "The dashboard") on Hummingbird 2.
///
/// | route | what |
/// |---|---|
/// | `GET /` (`?days=N`) | the engine page |
/// | `POST /admin/epsilon` | set ε (form field `epsilon`), clamped to the law; admin |
/// | `POST /admin/run-nightly` | run the learning job now; admin |
/// | `GET /api/patterns`, `/api/trend?days=N`, `/api/jobs`, `/api/events` | JSON |
/// | `GET /results`, `/results/<folder>/report.html`, `/results/<file>` | the lab's results, read-only |
public struct DashboardServer: Sendable {
    public let gateway: EngineGateway
    public let admin: AdminGuard
    public let results: ResultsLibrary?

    /// `?days=` of the trend: 1…3650, default 90.
    public static let trendDaysRange = 1...3650
    public static let defaultTrendDays = 90
    /// The admin token's own header (beside `Authorization: Bearer`).
    static let adminTokenHeader = HTTPField.Name("X-Admin-Token")
    /// The largest admin form body read.
    static let maxFormBytes = 16 * 1024
    /// Files of a results folder the server shows, by extension, with their content type.
    static let resultFileTypes: [String: String] = [
        "svg": "image/svg+xml", "csv": "text/csv; charset=utf-8", "json": "application/json",
        "yaml": "text/plain; charset=utf-8", "md": "text/plain; charset=utf-8", "xml": "application/xml",
        "png": "image/png", "pdf": "application/pdf",  // `--figures png,pdf`
    ]

    public init(gateway: EngineGateway, admin: AdminGuard, results: ResultsLibrary?) {
        self.gateway = gateway
        self.admin = admin
        self.results = results
    }

    // MARK: Application

    /// The application bound to `host:port` (port 0: a free port); `onRunning` receives the bound port.
    public func application(
        host: String, port: Int,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "onboarding-lab-serve"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { request, _ in
            await respond(page: true) {
                let days = try Self.trendDays(request)
                let snapshot = try await gateway.snapshot(trendDays: days)
                let page = DashboardPage(
                    snapshot: snapshot, databasePath: gateway.path,
                    guardInfo: (admin.adminToken != nil, admin.csrfToken), trendDays: days,
                    hasResults: results != nil, notice: nil)
                return Self.html(page.html, policy: .page)
            }
        }
        router.post("/admin/epsilon") { request, context in
            await respond(page: true) {
                let form = try await authorize(request, context: context)
                guard let text = form?["epsilon"] ?? request.uri.queryParameters.get("epsilon"),
                    let value = Double(text.trimmingCharacters(in: .whitespaces))
                else { throw DashboardError(.badRequest, "the field epsilon (a number in 0…1) is required") }
                let change = try await gateway.setEpsilon(value)
                var notice =
                    "Exploration rate set to \(HTML.number(change.epsilon)) (was \(HTML.number(change.previous)))"
                if change.clamped {
                    notice +=
                        "; \(HTML.number(change.requested)) exceeds law.max_epsilon \(HTML.number(change.maxEpsilon))"
                }
                return try await noticePage(notice + ".")
            }
        }
        router.post("/admin/run-nightly") { request, context in
            await respond(page: true) {
                _ = try await authorize(request, context: context)
                let report = try await gateway.runNightlyNow()
                let job = report.job
                if job.status == .failed {
                    return try await noticePage(
                        "The learning job \(job.id) failed: \(job.errorMessage ?? "no message")",
                        status: .internalServerError)
                }
                return try await noticePage(
                    "Learning job \(job.id) \(job.status.rawValue): \(job.patternsDiscovered) pattern(s), "
                        + "\(job.championsUpdated) champion change(s), \(report.election.rollbacks.count) rollback(s).")
            }
        }
        router.get("/api/patterns") { request, _ in
            await respond(page: false) {
                Self.json(DashboardAPI.patterns(try await gateway.snapshot(trendDays: 1)))
            }
        }
        router.get("/api/trend") { request, _ in
            await respond(page: false) {
                let days = try Self.trendDays(request)
                return Self.json(DashboardAPI.trend(try await gateway.snapshot(trendDays: days), days: days))
            }
        }
        router.get("/api/jobs") { _, _ in
            await respond(page: false) { Self.json(DashboardAPI.jobs(try await gateway.snapshot(trendDays: 1))) }
        }
        router.get("/api/events") { _, _ in
            await respond(page: false) { Self.json(DashboardAPI.events(try await gateway.snapshot(trendDays: 1))) }
        }
        router.get("/results") { _, _ in
            await respond(page: true) {
                let library = try resultsLibrary()
                return Self.html(
                    ResultsPage.index(library.folders(), root: library.root, hasEngine: true), policy: .page)
            }
        }
        router.get("/results/**") { _, context in
            await respond(page: true) {
                let segments = context.parameters.getCatchAll().map(String.init)
                return try resultFile(segments)
            }
        }
        return router
    }

    // MARK: Handlers

    func resultsLibrary() throws -> ResultsLibrary {
        guard let results else {
            throw DashboardError(.notFound, "no results directory: start the server with --results DIR")
        }
        return results
    }

    /// `<folder>/report.html` renders the folder's report.md; other names serve the file itself when its type
    /// is one the dashboard shows.
    func resultFile(_ segments: [String]) throws -> Response {
        let library = try resultsLibrary()
        if segments.last == "report.html" {
            let folder = try library.resolve(Array(segments.dropLast()))
            let file = try library.resolve(Array(segments.dropLast()) + ["report.md"])
            guard let markdown = try? String(contentsOfFile: file.path, encoding: .utf8) else {
                throw DashboardError(.notFound, "\(folder.relative)/report.md is not readable text")
            }
            return Self.html(
                ResultsPage.report(markdown: markdown, relativePath: folder.relative, hasEngine: true),
                policy: .document)
        }
        let file = try library.resolve(segments)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
            throw DashboardError(.notFound, "no such results file: \(file.relative)")
        }
        if isDirectory.boolValue {
            throw DashboardError(.notFound, "\(file.relative) is a folder: open \(file.relative)/report.html")
        }
        let ext = (file.path as NSString).pathExtension.lowercased()
        guard let type = Self.resultFileTypes[ext] else {
            throw DashboardError(
                .notFound,
                "\(file.relative): the dashboard serves only \(Self.resultFileTypes.keys.sorted().joined(separator: ", ")) files"
            )
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw DashboardError(.notFound, "\(file.relative) is not readable")
        }
        var headers = Self.securityHeaders(.document)
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Checks the admin token (and CSRF token for a form) and returns the form fields, if the body is a form.
    func authorize(_ request: Request, context: BasicRequestContext) async throws -> FormFields? {
        var form: FormFields?
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: Self.maxFormBytes)
            form = try FormFields(parsing: String(buffer: buffer))
        }
        var headerToken = Self.adminTokenHeader.flatMap { request.headers[$0] }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            headerToken = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        try admin.authorize(
            AdminGuard.Credentials(
                headerToken: headerToken, formToken: form?["admin_token"], formCSRF: form?["csrf_token"]))
        return form
    }

    func noticePage(_ notice: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let snapshot = try await gateway.snapshot(trendDays: Self.defaultTrendDays)
        let page = DashboardPage(
            snapshot: snapshot, databasePath: gateway.path, guardInfo: (admin.adminToken != nil, admin.csrfToken),
            trendDays: Self.defaultTrendDays, hasResults: results != nil, notice: notice)
        var response = Self.html(page.html, policy: .page)
        response.status = status
        return response
    }

    static func trendDays(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("days") else { return defaultTrendDays }
        guard let days = Int(text), trendDaysRange.contains(days) else {
            throw DashboardError(
                .badRequest,
                "days must be an integer in \(trendDaysRange.lowerBound)…\(trendDaysRange.upperBound), found '\(text)'")
        }
        return days
    }

    // MARK: Responses

    /// What a response may load: the engine page runs its one inline script; documents from results folders
    /// (rendered Markdown, SVG) run none.
    enum Policy { case page, document, data }

    static func securityHeaders(_ policy: Policy) -> HTTPFields {
        let csp: String
        switch policy {
        case .page:
            csp =
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        case .document:
            csp =
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
        case .data:
            csp = "default-src 'none'; frame-ancestors 'none'"
        }
        var headers: HTTPFields = [
            .contentSecurityPolicy: csp, .xContentTypeOptions: "nosniff", .cacheControl: "no-store",
        ]
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "no-referrer" }
        return headers
    }

    static func html(_ text: String, policy: Policy) -> Response {
        var headers = securityHeaders(policy)
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue) -> Response {
        var headers = securityHeaders(.data)
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.text + "\n")))
    }

    /// Runs `body`; a refusal becomes its status with the message (an HTML page or a JSON object), a database
    /// that cannot be opened 503, anything else 500.
    func respond(page: Bool, _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            let refusal: DashboardError
            switch error {
            case let e as DashboardError: refusal = e
            case let e as PersistenceError: refusal = DashboardError(.serviceUnavailable, "\(e)")
            case let e as EngineError: refusal = DashboardError(.badRequest, "\(e)")
            default: refusal = DashboardError(.internalServerError, "\(error)")
            }
            var response: Response
            if page {
                response = Self.html(
                    HTML.page(
                        title: "\(refusal.status.code) \(refusal.status.reasonPhrase)",
                        navigation: DashboardPage.navigation(hasResults: results != nil),
                        body: "<section><p class=\"error\" id=\"error\">\(HTML.escape(refusal.message))</p></section>"),
                    policy: .document)
            } else {
                response = Self.json(
                    .object(["error": .string(refusal.message), "status": .integer(refusal.status.code)]))
            }
            response.status = refusal.status
            if refusal.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }
}

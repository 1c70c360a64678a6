import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A real headless Chromium driven over the W3C WebDriver protocol (plain HTTP to `chromedriver`), for tests of
/// the pages as a person uses them: keys pressed, elements read, screenshots taken.
///
/// ```swift
/// try await Browser.with { browser in
///     try await browser.open(server.baseURL + "/sign-in")
///     try await browser.type("#token", token + "\n")
///     #expect(try await browser.text("h1") == "Queues")
/// }
/// ```
public final class Browser: @unchecked Sendable {
    /// Whether this machine has Chromium and chromedriver (Debian's `chromium` and `chromium-driver`).
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: driverPath) && FileManager.default.isExecutableFile(atPath: chromiumPath)
    }

    /// Browser tests run when the browser is installed, and always on CI, where a missing browser is a failure.
    public static var shouldRun: Bool { isAvailable || ProcessInfo.processInfo.environment["CI"] != nil }

    static let driverPath = ProcessInfo.processInfo.environment["ASSAY_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"
    static let chromiumPath = ProcessInfo.processInfo.environment["ASSAY_CHROMIUM"] ?? "/usr/bin/chromium"

    /// Where screenshots go: `$ASSAY_SCREENSHOTS`, or `screenshots/` in the package folder.
    public static var screenshotFolder: URL {
        if let folder = ProcessInfo.processInfo.environment["ASSAY_SCREENSHOTS"] { return URL(fileURLWithPath: folder) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("screenshots")
    }

    private let driver: Process
    private let client: HTTPClient
    private let base: String
    private var session = ""

    private init(driver: Process, client: HTTPClient, base: String) {
        self.driver = driver
        self.client = client
        self.base = base
    }

    /// Starts chromedriver and a headless Chromium, runs `body`, and quits both whatever happens.
    public static func with<T>(_ body: (Browser) async throws -> T) async throws -> T {
        guard isAvailable else { throw TestSetupError("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)") }
        let port = Int.random(in: 20_000..<30_000)
        // Chromium leaves its singleton sockets and scratch folders in TMPDIR after it quits: a suite run left
        // a thousand in /tmp. It gets a temporary directory of its own, removed with it.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("assay-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: driverPath)
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": scratch.path]) { $1 }
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let browser = Browser(driver: driver, client: client, base: "http://127.0.0.1:\(port)")
        do {
            try await browser.startSession()
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            await browser.quit()
            throw error
        }
    }

    private func startSession() async throws {
        var ready = false
        for _ in 0..<100 {
            if (try? await command(.GET, "/status", nil, session: false)) != nil { ready = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard ready else { throw TestSetupError("chromedriver did not start") }
        let capabilities: JSONValue = [
            "capabilities": ["alwaysMatch": [
                "browserName": "chrome",
                "goog:chromeOptions": [
                    "binary": .string(Self.chromiumPath),
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                             "--lang=en-US"],
                ],
            ]],
        ]
        let reply = try await command(.POST, "/session", capabilities, session: false)
        guard let id = reply.objectValue?["sessionId"]?.stringValue else { throw TestSetupError("no WebDriver session: \(reply)") }
        session = id
    }

    private func quit() async {
        if !session.isEmpty { _ = try? await command(.DELETE, "", nil) }
        // chromedriver leaves on its own /shutdown command; SIGTERM alone may leave it running.
        _ = try? await command(.GET, "/shutdown", nil, session: false)
        let deadline = ContinuousClock.now + .seconds(3)
        while driver.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        try? await client.shutdown()
    }

    // MARK: - Commands

    /// Loads a page and waits for it.
    public func open(_ url: String) async throws {
        _ = try await command(.POST, "/url", ["url": .string(url)])
    }

    /// Signs in through the form with an API token and waits for the home page.
    public func signIn(at baseURL: String, token: String) async throws {
        try await open(baseURL + "/sign-in")
        try await type("#token", token + "\n")
        try await waitUntil("the home page after signing in") { try await currentURL() == baseURL + "/" }
    }

    /// The page's current URL.
    public func currentURL() async throws -> String {
        try await command(.GET, "/url", nil).stringValue ?? ""
    }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to appear.
    public func element(_ selector: String, timeout: Duration = .seconds(5)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = try? await command(.POST, "/element", ["using": "css selector", "value": .string(selector)]),
                let id = found.objectValue?.values.first?.stringValue
            {
                return id
            }
            guard ContinuousClock.now < deadline else { throw TestSetupError("no element '\(selector)' on \(try await currentURL())") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The visible text of the first element matching a selector.
    public func text(_ selector: String) async throws -> String {
        try await command(.GET, "/element/\(try await element(selector))/text", nil).stringValue ?? ""
    }

    /// Sets the window's size (a phone is 375 wide).
    public func resize(width: Int, height: Int) async throws {
        _ = try await command(.POST, "/window/rect", ["width": .number(Double(width)), "height": .number(Double(height))])
    }

    /// How far the page is wider than the window, in CSS pixels: 0 when nothing makes it scroll sideways.
    public func overflowWidth() async throws -> Double {
        try await script("return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)")
            .doubleValue ?? 0
    }

    /// The elements that reach past the window's right edge, innermost first, as `tag#id.class` and their right
    /// edge: what to look at when ``overflowWidth()`` is not 0.
    public func widestElements() async throws -> String {
        try await script("""
            const width = document.documentElement.clientWidth;
            return Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > width + 0.5 && !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 0.5))
              .slice(0, 5)
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))
              .join(', ');
            """).stringValue ?? ""
    }

    /// Clicks an element.
    public func click(_ selector: String) async throws {
        _ = try await command(.POST, "/element/\(try await element(selector))/click", [:])
    }

    /// Types into an element (a form field), as keys; "\n" presses Enter.
    public func type(_ selector: String, _ text: String) async throws {
        _ = try await command(.POST, "/element/\(try await element(selector))/value", ["text": .string(text.replacingOccurrences(of: "\n", with: "\u{E007}"))])
    }

    /// Presses keys on whatever has the focus, as a person at the keyboard would (WebDriver key actions).
    public func press(_ keys: String) async throws {
        var actions: [JSONValue] = []
        for character in keys {
            let key = character == "\n" ? "\u{E007}" : String(character)
            actions.append(["type": "keyDown", "value": .string(key)])
            actions.append(["type": "keyUp", "value": .string(key)])
        }
        _ = try await command(.POST, "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
    }

    /// Runs a script in the page and returns its result.
    @discardableResult
    public func script(_ source: String) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", ["script": .string(source), "args": []])
    }

    /// Runs an asynchronous script in the page: it gets a callback as its last argument and calls it with the
    /// result (for `fetch`, say).
    public func asyncScript(_ source: String) async throws -> JSONValue {
        try await command(.POST, "/execute/async", ["script": .string(source), "args": []])
    }

    /// Waits until `condition` holds (polling every 100 ms), or fails after `timeout` with `message`.
    public func waitUntil(
        _ message: @autoclosure () -> String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(try await condition()) {
            guard ContinuousClock.now < deadline else { throw TestSetupError("timed out waiting: \(message())") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Saves a PNG of the window as `screenshots/NAME.png`; returns its path.
    @discardableResult
    public func screenshot(_ name: String) async throws -> URL {
        guard let base64 = try await command(.GET, "/screenshot", nil).stringValue, let png = Data(base64Encoded: base64) else {
            throw TestSetupError("no screenshot")
        }
        try FileManager.default.createDirectory(at: Self.screenshotFolder, withIntermediateDirectories: true)
        let file = Self.screenshotFolder.appendingPathComponent("\(name).png")
        try png.write(to: file)
        return file
    }

    /// Sends one WebDriver command and returns its `value`; a WebDriver error becomes a thrown error.
    private func command(_ method: HTTPMethod, _ path: String, _ body: JSONValue?, session inSession: Bool = true)
        async throws -> JSONValue
    {
        var request = HTTPClientRequest(url: base + (inSession ? "/session/\(session)" : "") + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let data = Data(buffer: try await response.body.collect(upTo: 64 * 1024 * 1024))
        let value = (try? JSONDecoder().decode(JSONValue.self, from: data))?.objectValue?["value"] ?? .null
        guard response.status.code < 300 else {
            throw TestSetupError("WebDriver \(method) \(path): \(response.status) \(value.objectValue?["message"]?.stringValue ?? "")")
        }
        return value
    }
}

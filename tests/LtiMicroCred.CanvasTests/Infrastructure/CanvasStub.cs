using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// A WireMock server on a free port standing in for Canvas (or for its file store). Anything no stub matches gets a
/// 599 from a catch-all stub, and <see cref="AssertNoUnexpectedRequests"/> fails the test if that ever happened.
/// </summary>
internal sealed class CanvasStub : IDisposable
{
    private const int UnexpectedStatus = 599;
    private readonly Guid _catchAll = Guid.NewGuid();

    public CanvasStub(string pathPrefix = "")
    {
        PathPrefix = pathPrefix;
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingAnyMethod())
            .WithGuid(_catchAll)
            .AtPriority(int.MaxValue)
            .RespondWith(Response.Create().WithStatusCode(UnexpectedStatus).WithBody("No stub matches this request."));
    }

    public WireMockServer Server { get; }

    public string PathPrefix { get; }

    /// <summary>The Canvas base URL this stub serves, path prefix included.</summary>
    public string CanvasUrl => Server.Url + PathPrefix;

    /// <summary>A request to stub at <paramref name="path"/> (under the prefix), more specific stubs first by priority.</summary>
    public IRequestBuilder Expect(string method, string path) =>
        Request.Create().UsingMethod(method).WithPath(PathPrefix + path);

    /// <summary>Everything the server received, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> Requests =>
        Server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime).ToList();

    public IReadOnlyList<IRequestMessage> RequestsTo(string path) =>
        Requests.Where(r => r.Path == PathPrefix + path).ToList();

    public void AssertNoUnexpectedRequests()
    {
        var unexpected = Server.LogEntries
            .Where(e => e.MappingGuid is null || e.MappingGuid == _catchAll)
            .Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Url}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Requests no stub expected: " + string.Join(", ", unexpected));
    }

    public static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The values of one query parameter, read from the raw query exactly as the client sent it.</summary>
    public static IReadOnlyList<string> Query(IRequestMessage request, string name) =>
        QueryPairs(request).Where(p => p.Name == name).Select(p => p.Value).ToList();

    /// <summary>Every query parameter in the order sent, names and values unescaped.</summary>
    public static IReadOnlyList<(string Name, string Value)> QueryPairs(IRequestMessage request) =>
        (request.RawQuery ?? "").TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Unescape(parts[0]), parts.Length > 1 ? Unescape(parts[1]) : ""))
            .ToList();

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}

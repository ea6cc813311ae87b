using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.ResponseProviders;
using WireMock.Server;
using WireMock.Settings;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>
/// A WireMock server on a free port standing in for Canvas. Stubs match the exact method and URL (path and raw query);
/// anything else gets a 599 from a catch-all stub, and <see cref="AssertNoUnexpectedRequests"/> fails the test if that
/// ever happened.
/// </summary>
internal sealed class LtiStub : IDisposable
{
    public const string TokenPath = "/login/oauth2/token";
    public const int UnexpectedStatus = 599;
    private readonly Guid _catchAll = Guid.NewGuid();

    public LtiStub()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingAnyMethod())
            .WithGuid(_catchAll)
            .AtPriority(int.MaxValue)
            .RespondWith(Response.Create().WithStatusCode(UnexpectedStatus).WithBody("No stub matches this request."));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public string TokenEndpoint => Url + TokenPath;

    /// <summary>Everything the server received, in arrival order.</summary>
    public IReadOnlyList<IRequestMessage> Requests =>
        Server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime).ToList();

    public IReadOnlyList<IRequestMessage> TokenRequests => Requests.Where(r => r.Path == TokenPath).ToList();

    public IReadOnlyList<IRequestMessage> ServiceRequests => Requests.Where(r => r.Path != TokenPath).ToList();

    /// <summary>The token endpoint grants these tokens one after the other (the last one again after that), as in 01.</summary>
    public void StubTokens(params string[] accessTokens) =>
        StubTokens(accessTokens.Select(t => TokenAnswer(t)).ToArray());

    public void StubTokens(params ContractResponse[] answers) =>
        Server.Given(Request.Create().UsingPost().WithPath(TokenPath)).RespondWith(new SequenceResponder(answers.Select(a => a.ToResponse()).ToArray()));

    public void StubTokens(IResponseProvider responder) =>
        Server.Given(Request.Create().UsingPost().WithPath(TokenPath)).RespondWith(responder);

    /// <summary>Canvas's token answer (01) with another access token and lifetime.</summary>
    public ContractResponse TokenAnswer(string accessToken, int expiresIn = 3600)
    {
        var answer = ContractFile.Load("01", Url).Response;
        var body = answer.Body!.AsObject();
        body["access_token"] = accessToken;
        body["expires_in"] = expiresIn;
        return answer;
    }

    /// <summary>
    /// <paramref name="method"/> on exactly <paramref name="pathAndQuery"/> answers these, one per request, repeating the last.
    /// With <paramref name="bearer"/>, only requests carrying that token match.
    /// </summary>
    public void Stub(string method, string pathAndQuery, string? bearer, params ContractResponse[] answers)
    {
        var request = Request.Create().UsingMethod(method).WithUrl(new ExactMatcher(Url + pathAndQuery));
        if (bearer is not null)
        {
            request = request.WithHeader("Authorization", new ExactMatcher("Bearer " + bearer));
        }

        Server.Given(request).RespondWith(new SequenceResponder(answers.Select(a => a.ToResponse()).ToArray()));
    }

    public void Stub(string method, string pathAndQuery, params ContractResponse[] answers) => Stub(method, pathAndQuery, null, answers);

    public void AssertNoUnexpectedRequests()
    {
        var unexpected = Server.LogEntries
            .Where(e => e.MappingGuid is null || e.MappingGuid == _catchAll)
            .Select(e => $"{e.RequestMessage.Method} {e.RequestMessage.Url}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Requests no stub expected: " + string.Join(", ", unexpected));
    }

    public static string? Header(IRequestMessage request, string name)
    {
        var values = request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        return values is null ? null : string.Join(", ", values);
    }

    /// <summary>The form fields of a form-encoded body, unescaped.</summary>
    public static IReadOnlyDictionary<string, string> Form(IRequestMessage request) =>
        (request.Body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Unescape(p[0]), p => p.Length > 1 ? Unescape(p[1]) : string.Empty, StringComparer.Ordinal);

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>Answers with the given responses one per request, the last one for every request after that.</summary>
internal sealed class SequenceResponder(params IResponseProvider[] steps) : IResponseProvider
{
    private int _served = -1;

    public int Served => Volatile.Read(ref _served) + 1;

    public Task<(IResponseMessage Message, IMapping? Mapping)> ProvideResponseAsync(IMapping mapping, IRequestMessage requestMessage, WireMockServerSettings settings)
    {
        var index = Math.Min(Interlocked.Increment(ref _served), steps.Length - 1);
        return steps[index].ProvideResponseAsync(mapping, requestMessage, settings);
    }
}

/// <summary>Holds every answer back until <paramref name="release"/> completes (at most 5 s), then answers as <paramref name="inner"/>.</summary>
internal sealed class GatedResponder(IResponseProvider inner, Task release) : IResponseProvider
{
    public async Task<(IResponseMessage Message, IMapping? Mapping)> ProvideResponseAsync(IMapping mapping, IRequestMessage requestMessage, WireMockServerSettings settings)
    {
        await release.WaitAsync(TimeSpan.FromSeconds(5));
        return await inner.ProvideResponseAsync(mapping, requestMessage, settings);
    }
}

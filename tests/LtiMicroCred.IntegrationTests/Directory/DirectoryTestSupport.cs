using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Launches;
using LtiMicroCred.People;
using LtiMicroCred.Web.Launching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>
/// The directory tests' hosts: the Hangfire server is off, so a queued job is looked at and never run against a fake
/// LMS address; and EF logs its commands, so a test can see what a launch wrote.
/// </summary>
public static class DirectoryHostSettings
{
    public static IDictionary<string, string?> Values => new Dictionary<string, string?>
    {
        ["Jobs:RunServer"] = "false",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };

    /// <summary>
    /// Hangfire keeps its log provider in a static that the last host to configure Hangfire sets; tests run many hosts,
    /// and a job client made lazily later can find the logger factory of a host already disposed. Made at start, the
    /// client takes this host's.
    /// </summary>
    public static async Task StartAsync(ToolHost host, Func<Task> start)
    {
        await start();
        host.Services.GetRequiredService<IBackgroundJobClient>();
    }
}

/// <summary>
/// Every directory test class of a database shares one host and runs one after another: each test makes its own
/// district (or unique schools, aliases and roster paths), and fewer hosts starting and stopping in one process means
/// fewer chances for Hangfire's process-wide settings to point at a host already gone.
/// </summary>
public static class DirectoryCollections
{
    public const string Sqlite = "Directory on SQLite";
    public const string PostgreSql = "Directory on PostgreSQL";
}

[CollectionDefinition(DirectoryCollections.Sqlite)]
public sealed class SqliteDirectoryCollection : ICollectionFixture<SqliteDirectoryHost>;

[CollectionDefinition(DirectoryCollections.PostgreSql)]
public sealed class PostgresDirectoryCollection : ICollectionFixture<PostgresDirectoryHost>;

public sealed class SqliteDirectoryHost : ToolHost, IAsyncLifetime
{
    protected override IDictionary<string, string?> Settings => DirectoryHostSettings.Values;

    Task IAsyncLifetime.InitializeAsync() => DirectoryHostSettings.StartAsync(this, InitializeAsync);

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresDirectoryHost : ToolHost, IAsyncLifetime
{
    protected override IDictionary<string, string?> Settings => DirectoryHostSettings.Values;

    Task IAsyncLifetime.InitializeAsync() => DirectoryHostSettings.StartAsync(this, InitializeAsync);

    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>Pages over real HTTP as a person of a <see cref="TestDistrict"/>: a launch token as a launch would issue it, and forms with their anti-forgery token.</summary>
public sealed partial class DirectoryBrowser(ToolHost host) : IDisposable
{
    private readonly HttpClient _http = host.CreateRawClient();

    public static Task<string> TokenAsync(ToolHost host, Guid tenantId, Person person) =>
        host.Services.GetRequiredService<LaunchTokenIssuer>()
            .IssueAsync(new LaunchSession(tenantId, person.Id, person.Name, null, null, ProductRoles.None), CancellationToken.None);

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    /// <summary>Opens a page, and returns its HTML with the anti-forgery field and cookie a browser would send back.</summary>
    public async Task<FormPage> OpenAsync(string url)
    {
        var response = await _http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        var token = WebUtility.HtmlDecode(CsrfField().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token), "The page has no anti-forgery field.");
        // Pages opened with a launch token bind their form token to the launch and set no cookie; kept if one comes.
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("ltimc_csrf=", StringComparison.Ordinal))
            : null;
        return new FormPage(html, token, cookie);
    }

    public async Task<HttpResponseMessage> PostAsync(string url, HttpContent content, string? cookie, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.ExpectContinue = expectContinue;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostFormAsync(string url, FormPage page, IEnumerable<KeyValuePair<string, string>> fields) =>
        PostAsync(url, new FormUrlEncodedContent(fields.Append(new("__csrf", page.Token))), page.Cookie);

    public void Dispose() => _http.Dispose();

    public sealed record FormPage(string Html, string Token, string? Cookie);

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

public static class Actors
{
    /// <summary>A person's school memberships, by school.</summary>
    public static Task<Dictionary<Guid, Schools.SchoolMembership>> MembershipsAsync(this ToolHost host, Guid personId) =>
        host.WithDbAsync(db => db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == personId).ToDictionaryAsync(m => m.SchoolId));

    /// <summary>A district administrator of a tenant that has no person row, for use cases run directly.</summary>
    public static Actor Admin(Guid tenantId) =>
        new(Guid.NewGuid(), tenantId, "Test admin", ProductRoles.DistrictAdmin, new HashSet<Guid>(), new HashSet<Guid>());
}

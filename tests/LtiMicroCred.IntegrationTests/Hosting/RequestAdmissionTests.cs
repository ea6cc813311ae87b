using System.Net;
using System.Net.Http.Headers;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Web.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.IntegrationTests.Hosting;

/// <summary>A node with one place and no waiting room, so the test can fill it.</summary>
public sealed class OnePlaceToolHost : ToolHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Web:MaxConcurrentRequests"] = "1",
        ["Web:RequestQueueLimit"] = "0",
    };

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());

    // The held request sends its body only when the test lets it, however slow the machine running the test.
    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(o => o.Limits.MinRequestBodyDataRate = null);
}

/// <summary>
/// The request queue (Web:MaxConcurrentRequests, Web:RequestQueueLimit): a full node turns a request away with the
/// busy page and Retry-After, keeps answering its health check and the sandbox's server-to-server endpoints, and
/// serves again as soon as a place is free.
/// </summary>
public sealed class RequestAdmissionTests(OnePlaceToolHost host) : IClassFixture<OnePlaceToolHost>
{
    [Fact]
    public async Task FullNode_TurnsRequestsAwayWithTheBusyPage_AndServesAgainOnceAPlaceIsFree()
    {
        using var client = host.CreateRawClient();

        // A launch whose body the test holds back: the node has taken it in and waits for the rest of its form.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (heldLaunch, refused) = await HoldThePlaceAsync(client, release.Task);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(RequestAdmission.RetryAfter, refused.Headers.RetryAfter?.Delta);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("The tool is busy", page, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", page, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("turned away with 503", StringComparison.Ordinal)
            && l.Message.Contains("Web:MaxConcurrentRequests", StringComparison.Ordinal));

        // Still answered while the place is taken: the health check, and what the tool's own server calls on the LMS.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sandbox/jwks")).StatusCode);
        // The sandbox's pages for a browser share the node's queue.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/sandbox/")).StatusCode);

        release.SetResult();
        using var launch = await heldLaunch;
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, launch.StatusCode);

        using var after = await client.GetAsync("/sandbox/");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite", 0)]
    [InlineData("PostgreSql", 2)]
    [InlineData("SqlServer", 2)]
    public void ByDefault_ServerDatabasesQueueBeyondTwoRequestsPerCore_SqliteDoesNotQueue(string provider, int perCore)
    {
        var empty = new ConfigurationBuilder().Build().GetSection(RequestAdmission.SectionName);
        var options = RequestAdmissionOptions.Read(empty, Enum.Parse<DatabaseProvider>(provider));
        Assert.Equal(perCore * Environment.ProcessorCount, options.MaxConcurrentRequests);
        Assert.Equal(RequestAdmissionOptions.DefaultRequestQueueLimit, options.RequestQueueLimit);
    }

    /// <summary>
    /// Sends a held-back launch, then asks for the home page until the node refuses it. The launch takes the one place
    /// as soon as the node has read its headers, which the test cannot observe; a home page asked for before that takes
    /// the place instead and the launch is the one refused, so it is sent again. Bounded: a node that never refuses
    /// fails the test.
    /// </summary>
    private static async Task<(Task<HttpResponseMessage> HeldLaunch, HttpResponseMessage Refused)> HoldThePlaceAsync(HttpClient client, Task release)
    {
        var heldLaunch = client.PostAsync("/lti/launch", new HeldBackForm(release));
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            if (heldLaunch.IsCompleted)
            {
                using var lost = await heldLaunch;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
                heldLaunch = client.PostAsync("/lti/launch", new HeldBackForm(release));
            }

            var response = await client.GetAsync("/app");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && !heldLaunch.IsCompleted)
            {
                return (heldLaunch, response);
            }

            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException("The node never turned a request away while its one place was taken.");
    }

    /// <summary>A form whose first bytes go at once and whose last byte waits for the test.</summary>
    private sealed class HeldBackForm : HttpContent
    {
        private readonly Task _release;

        public HeldBackForm(Task release)
        {
            _release = release;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("id_token=abc"u8.ToArray());
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync("d"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = "id_token=abcd".Length;
            return true;
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using LtiMicroCred.ResultPosting;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Outbox;

/// <summary>
/// The in-process host only prepares the district and the database: it runs no jobs, so the separate worker process
/// is the only one that sends.
/// </summary>
public sealed class CrashSafetyHost : ToolHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" };

    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>
/// Crash safety of the outbox, PostgreSQL only (it fails, never skips, without LTIMICROCRED_TEST_POSTGRES): 2,000 scores
/// drain from the real app run as a separate worker process (`dotnet LtiMicroCred.Web.dll`), which is killed with its
/// whole process tree at seeded random points and started again, to a stateful WireMock AGS endpoint (it records each
/// score and answers the results GET from what it recorded). Every score must arrive exactly once by WireMock's request
/// log and every row must end done.
/// </summary>
public sealed class CrashSafetyTests(CrashSafetyHost host) : IClassFixture<CrashSafetyHost>
{
    private const int Scores = 2_000;
    private const int Seed = 20260707;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task KillingTheWorkerAtRandomPoints_While2000ScoresDrain_EveryScoreArrivesExactlyOnce_AndEveryRowIsDone()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var prefix = $"/api/lti/courses/{d.TenantId:N}";
        var lms = new StatefulAgs();
        StubLms(d, prefix, lms);
        await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == d.PlatformId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenEndpoint, host.Platform.Url + $"/login/oauth2/token/{d.TenantId:N}")));
        var attempt = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), attempt,
            new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback("Fine"), null), None));
        var decisionId = await host.WithDbAsync(db => db.AttemptDecisions.Where(x => x.AttemptId == attempt).Select(x => x.Id).SingleAsync());
        await SeedScoresAsync(d.TenantId, decisionId, prefix);

        // Kill points: when this many scores are done, each a seeded random count, plus one kill during the first start.
        var random = new Random(Seed);
        var killAt = Enumerable.Range(0, 3).Select(_ => random.Next(100, Scores - 200)).Order().ToList();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        var kills = 0;
        using (var first = WorkerProcess.Start(host))
        {
            // Killed as soon as it has sent something, often before it finished starting up.
            await PollAsync(() => Task.FromResult(lms.Posts > 0), deadline, first, "the first score");
            first.Kill();
            kills++;
        }

        foreach (var point in killAt)
        {
            using var worker = WorkerProcess.Start(host);
            await PollAsync(async () => await DoneAsync() >= point, deadline, worker, $"{point} done scores");
            worker.Kill();
            kills++;
        }

        using (var last = WorkerProcess.Start(host))
        {
            await PollAsync(async () => await DoneAsync() == Scores, deadline, last, "every score done");
            last.Kill();
        }

        var posts = host.Platform.Server.LogEntries
            .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("/scores", StringComparison.Ordinal))
            .GroupBy(e => e.RequestMessage.Path)
            .ToDictionary(g => g.Key, g => g.Count());
        var expected = Enumerable.Range(0, Scores).Select(i => $"{prefix}/line_items/{i}/scores").ToList();
        Assert.Equal(4, kills);
        Assert.DoesNotContain(expected, p => !posts.ContainsKey(p));
        Assert.Equal([], posts.Where(p => p.Value != 1).Select(p => $"{p.Key} x{p.Value}"));
        Assert.Equal(Scores, posts.Count);
        var rows = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == GradePassback.Kind)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(Scores, Assert.Single(rows, r => r.Key == OutboxStatus.Done).Count);
        Assert.Single(rows);
        // The kills cut sends off mid-flight: the worker asked the LMS before sending those again.
        Assert.True(lms.ResultReads > 0, "No send was ever cut off: the kill points did not exercise the crash window.");
        host.Platform.AssertNoUnexpectedRequests();

        Task<int> DoneAsync() => host.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.Kind == GradePassback.Kind && m.Status == OutboxStatus.Done));
    }

    private static async Task PollAsync(Func<Task<bool>> condition, DateTime deadline, WorkerProcess worker, string what)
    {
        while (!await condition())
        {
            if (worker.HasExited)
            {
                Assert.Fail($"The worker exited by itself ({worker.ExitCode}) while waiting for {what}:\n{worker.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}. Worker output:\n{worker.Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>2,000 grade messages of one decision, each to a line item of its own, as rows committed by the app.</summary>
    private async Task SeedScoresAsync(Guid tenantId, Guid decisionId, string prefix)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceExtensions.Configure(options, host.Services.GetRequiredService<DatabaseOptions>());
        await using var db = new AppDbContext(options.Options);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Scores; i++)
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), TenantId = tenantId, Kind = GradePassback.Kind, EventId = Guid.NewGuid(), CreatedAt = now, DueAt = now, Status = OutboxStatus.Pending,
                Payload = JsonSerializer.Serialize(new GradePassbackPayload(decisionId, host.Platform.Url + $"{prefix}/line_items/{i}"), Web),
            });
        }

        await db.SaveChangesAsync();
    }

    private void StubLms(TestDistrict d, string prefix, StatefulAgs lms)
    {
        var server = host.Platform.Server;
        server.Given(Request.Create().WithPath($"/login/oauth2/token/{d.TenantId:N}").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"ags-token\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/score https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly\"}"));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^" + prefix + "/line_items/[0-9]+/scores$")).UsingPost())
            .RespondWith(Response.Create().WithCallback(lms.PostScore));
        server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^" + prefix + "/line_items/[0-9]+/results$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(lms.Results));
    }

    /// <summary>The mocked LMS's grade book: the latest score per line item and user, as AGS results.</summary>
    private sealed class StatefulAgs
    {
        private readonly ConcurrentDictionary<(string LineItem, string User), JsonObject> results = new();
        private int posts;
        private int reads;

        public int Posts => Volatile.Read(ref posts);

        public int ResultReads => Volatile.Read(ref reads);

        public ResponseMessage PostScore(IRequestMessage request)
        {
            var score = JsonNode.Parse(request.Body!)!.AsObject();
            var lineItem = request.Path[..^"/scores".Length];
            var user = (string)score["userId"]!;
            results[(lineItem, user)] = new JsonObject
            {
                ["id"] = request.Url.Replace("/scores", "/results/1", StringComparison.Ordinal),
                ["scoreOf"] = lineItem,
                ["userId"] = user,
                ["resultScore"] = score["scoreGiven"]?.DeepClone(),
                ["resultMaximum"] = score["scoreMaximum"]?.DeepClone(),
                ["comment"] = score["comment"]?.DeepClone(),
            };
            Interlocked.Increment(ref posts);
            return Json("application/vnd.ims.lis.v1.score+json", "{\"resultUrl\":\"" + results[(lineItem, user)]["id"] + "\"}");
        }

        public ResponseMessage Results(IRequestMessage request)
        {
            Interlocked.Increment(ref reads);
            var lineItem = request.Path[..^"/results".Length];
            var user = request.Query is { } q && q.TryGetValue("user_id", out var u) ? u.ToString() : null;
            var found = new JsonArray(results.Where(r => r.Key.LineItem == lineItem && (user is null || r.Key.User == user)).Select(r => (JsonNode)r.Value.DeepClone()).ToArray());
            return Json("application/vnd.ims.lis.v2.resultcontainer+json", found.ToJsonString());
        }

        private static ResponseMessage Json(string type, string body) => new()
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(type) },
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
    }

    /// <summary>The real app as a child process: a worker on the test database with the drain on and a short lease.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process process;
        private readonly ConcurrentQueue<string> output = new();

        private WorkerProcess(Process process) => this.process = process;

        public bool HasExited => process.HasExited;

        public int ExitCode => process.ExitCode;

        public string Output => string.Join('\n', output.TakeLast(60));

        public static WorkerProcess Start(CrashSafetyHost host)
        {
            var folder = AppContext.BaseDirectory;
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(folder, "LtiMicroCred.Web.dll"))
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var database = host.Services.GetRequiredService<DatabaseOptions>();
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Database__Provider"] = database.Provider.ToString(),
                ["Database__ConnectionString"] = database.ConnectionString,
                ["Database__MigrateAtStart"] = "false",
                ["Jobs__RunServer"] = "true",
                ["Jobs__WorkerCount"] = "2",
                ["Outbox__DrainWorkers"] = "1",
                ["Outbox__DrainConcurrency"] = "8",
                ["Outbox__DrainBatchSize"] = "32",
                ["Outbox__DrainIdleMilliseconds"] = "200",
                ["Outbox__SendTimeoutSeconds"] = "10",
                ["Outbox__LeaseSeconds"] = "15",
                ["Lti__AllowInsecurePlatformUrls"] = "true",
                ["Lti__ServiceRetryCount"] = "0",
                ["Lti__ServiceConcurrencyPerPlatform"] = "8",
                ["Sandbox__Enabled"] = "false",
                ["FileStore__Root"] = host.FileStoreRoot,
                ["Logging__LogLevel__Default"] = "Warning",
            })
            {
                start.Environment[key] = value;
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
            var worker = new WorkerProcess(process);
            process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public void Kill()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }

        public void Dispose()
        {
            Kill();
            process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is not null)
            {
                output.Enqueue(line);
                while (output.Count > 200 && output.TryDequeue(out _))
                {
                }
            }
        }
    }
}

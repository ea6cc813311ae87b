using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LtiMicroCred.Benchmarks.Queues;
using LtiMicroCred.Canvas.Hosting;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Decisions;
using LtiMicroCred.Lti.Hosting;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using LtiMicroCred.ResultPosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.Benchmarks.Outbox;

internal sealed record OutboxBenchOptions(string PostgresConnection, string Database, int Messages, TimeSpan Latency, int Concurrency);

/// <summary>
/// Drains N grade messages through the product's own drain loop (<see cref="OutboxDrainService"/>: batch claims with
/// SKIP LOCKED, the real <see cref="GradePassbackHandler"/>, the real AGS client) on PostgreSQL to a WireMock AGS
/// endpoint in this process that answers each score after a fixed latency, and compares the time with the ideal
/// N x latency / concurrency. Lost (a row not done or a score never received) and duplicated (a score received twice)
/// are counted from the rows and WireMock's request log. Not a timed test: a report.
/// </summary>
internal static class OutboxDrainBenchmark
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(OutboxBenchOptions options, CancellationToken cancellationToken = default)
    {
        await using (var admin = new NpgsqlConnection(options.PostgresConnection))
        {
            await admin.OpenAsync(cancellationToken);
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{options.Database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync(cancellationToken);
            await new NpgsqlCommand($"CREATE DATABASE \"{options.Database}\"", admin).ExecuteNonQueryAsync(cancellationToken);
        }

        var target = new NpgsqlConnectionStringBuilder(options.PostgresConnection) { Database = options.Database, MaxPoolSize = 200 }.ConnectionString;
        using var lms = WireMockServer.Start();
        const string prefix = "/api/lti/courses/bench";
        lms.Given(Request.Create().WithPath("/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/score\"}"));
        lms.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^" + prefix + "/line_items/[0-9]+/scores$")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(options.Latency)
                .WithHeader("Content-Type", "application/vnd.ims.lis.v1.score+json").WithBody("{\"resultUrl\":\"https://lms.example/results/1\"}"));

        var c = options.Concurrency.ToString(CultureInfo.InvariantCulture);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lti:AllowInsecurePlatformUrls"] = "true",
            ["Lti:ServiceConcurrencyPerPlatform"] = c,
            ["Lti:ServiceRetryCount"] = "0",
            ["Outbox:DrainWorkers"] = "1",
            ["Outbox:DrainConcurrency"] = c,
            ["Outbox:ConcurrencyPerDestination"] = c,
            ["Outbox:DrainBatchSize"] = (options.Concurrency * 2).ToString(CultureInfo.InvariantCulture),
            ["Outbox:DrainIdleMilliseconds"] = "100",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error).AddSimpleConsole());
        services.AddDbContextPool<AppDbContext>(o => o.UseNpgsql(target, n => n.MigrationsAssembly("LtiMicroCred.Migrations.PostgreSql")), poolSize: 256);
        services.AddDataProtection().SetApplicationName("LtiMicroCred");
        services.AddLti(configuration);
        services.AddProduct();
        // The product's outbox handlers include Canvas ones (the hours column), as the web host registers them.
        services.AddOptions<LtiMicroCred.Canvas.CanvasClientOptions>();
        services.AddCanvasClient();
        services.AddCanvasAccess();
        await using var provider = services.BuildServiceProvider();
        using (var scope = provider.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync(cancellationToken);
        }

        await provider.GetRequiredService<ToolKeySet>().EnsureKeysAsync(cancellationToken);
        var district = await DistrictGenerator.GenerateAsync(provider, new DistrictSize(Teachers: 20, Schools: 2, Attempts: 20, Reviews: 0), DateTimeOffset.UtcNow, cancellationToken);
        await SeedAsync(provider, district.TenantId, lms.Url! + "/token", lms.Url! + prefix, options.Messages, cancellationToken);

        var drain = ActivatorUtilities.CreateInstance<OutboxDrainService>(provider);
        var clock = Stopwatch.StartNew();
        await drain.StartAsync(cancellationToken);
        var deadline = TimeSpan.FromSeconds(Math.Max(120, options.Messages * options.Latency.TotalSeconds / options.Concurrency * 10));
        int done;
        while ((done = await CountDoneAsync(provider, cancellationToken)) < options.Messages && clock.Elapsed < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        var actual = clock.Elapsed;
        await drain.StopAsync(CancellationToken.None);

        var posts = lms.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("/scores", StringComparison.Ordinal))
            .GroupBy(e => e.RequestMessage.Path).ToDictionary(g => g.Key, g => g.Count());
        var neverReceived = Enumerable.Range(0, options.Messages).Count(i => !posts.ContainsKey($"{prefix}/line_items/{i}/scores"));
        var lost = Math.Max(options.Messages - done, neverReceived);
        var duplicated = posts.Values.Sum(n => n - 1);
        var ideal = TimeSpan.FromMilliseconds(options.Messages * options.Latency.TotalMilliseconds / options.Concurrency);
        var ratio = actual / ideal;
        Console.Out.Write(string.Create(CultureInfo.InvariantCulture, $"""

            ### Outbox drain (PostgreSQL, {Environment.ProcessorCount} cores)

            | n | latency | concurrency | ideal | actual | ratio | lost | duplicated |
            |---:|---:|---:|---:|---:|---:|---:|---:|
            | {options.Messages} | {options.Latency.TotalMilliseconds:F0} ms | {options.Concurrency} | {ideal.TotalSeconds:F1} s | {actual.TotalSeconds:F1} s | {ratio:F2}x | {lost} | {duplicated} |

            Target: within 1.2x of ideal, lost 0, duplicated 0.

            """));
        return lost == 0 && duplicated == 0 && ratio <= 1.2 ? 0 : 1;
    }

    private static async Task SeedAsync(IServiceProvider provider, Guid tenantId, string tokenEndpoint, string lineItems, int messages, CancellationToken cancellationToken)
    {
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Platforms.Where(p => p.TenantId == tenantId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenEndpoint, tokenEndpoint), cancellationToken);
        var attempt = await db.Attempts.AsNoTracking().Where(a => a.TenantId == tenantId).OrderBy(a => a.Id).FirstAsync(cancellationToken);
        var decision = new AttemptDecision
        {
            Id = Guid.NewGuid(), TenantId = tenantId, AttemptId = attempt.Id, CredentialVersionId = attempt.CredentialVersionId, Outcome = DecisionOutcome.Awarded,
            DecidedBy = attempt.TeacherId, DecidedAt = DateTimeOffset.UtcNow,
        };
        if (!await db.AttemptDecisions.AnyAsync(d => d.AttemptId == attempt.Id, cancellationToken))
        {
            db.AttemptDecisions.Add(decision);
        }
        else
        {
            decision = await db.AttemptDecisions.AsNoTracking().FirstAsync(d => d.AttemptId == attempt.Id, cancellationToken);
        }

        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < messages; i++)
        {
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), TenantId = tenantId, Kind = GradePassback.Kind, EventId = Guid.NewGuid(), CreatedAt = now, DueAt = now, Status = OutboxStatus.Pending,
                Payload = JsonSerializer.Serialize(new GradePassbackPayload(decision.Id, $"{lineItems}/line_items/{i}"), Web),
            });
        }

        // Written without the outbox interceptor's job queueing (no Hangfire here): the drain alone sends them.
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<int> CountDoneAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        using var scope = provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Done, cancellationToken);
    }
}

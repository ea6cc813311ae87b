using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.CanvasAccess;

/// <summary>
/// The real host with a clock the tests can move forward, shared by the tool and the sandbox LMS, so a Canvas access
/// token can expire without waiting an hour.
/// </summary>
public abstract class CanvasToolHost : ToolHost
{
    public PlatformKeyCacheTests.ShiftableClock Clock { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class SqliteCanvasToolHost : CanvasToolHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresCanvasToolHost : CanvasToolHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

using LtiMicroCred.Persistence;
using LtiMicroCred.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>
/// The real host on a real loopback port (Kestrel), on a throwaway database, with the sandbox LMS on and a
/// WireMock platform registered. One per test class; subclasses choose the database.
/// </summary>
public abstract class ToolHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _database;

    public CapturedLogs Logs { get; } = new();

    public TestPlatform Platform { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public string Provider => _database!.Provider;

    /// <summary>Where this host keeps evidence files: a folder of its own, removed with the host.</summary>
    public string FileStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "ltimc-files-" + Guid.NewGuid().ToString("N"));

    /// <summary>Settings a subclass adds or overrides.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>Service replacements a subclass needs (for example a clock it can move).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress;
        await RegisterTestPlatformAsync();
    }

    /// <summary>A client that talks real HTTP to the host and does nothing on its own: no redirects, no cookies.</summary>
    public HttpClient CreateRawClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", _database!.Provider);
        builder.UseSetting("Database:ConnectionString", _database.ConnectionString);
        builder.UseSetting("Database:MigrateAtStart", "true");
        builder.UseSetting("Sandbox:Enabled", "true");
        builder.UseSetting("Lti:AllowInsecurePlatformUrls", "true");
        // The test install hosts many districts, each registering itself; ClosedRegistrationTests turns this off.
        builder.UseSetting("Lti:AllowOpenRegistration", "true");
        builder.UseSetting("Jobs:WorkerCount", "1");
        builder.UseSetting("FileStore:Root", FileStoreRoot);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(ConfigureTestServices);
    }

    private Task RegisterTestPlatformAsync() =>
        WithServiceAsync<RegisterPlatform, RegisteredPlatform>(register => register.HandleAsync(
            new RegisterPlatformCommand("Test District", "Test Canvas", TestPlatform.Issuer, TestPlatform.ClientId,
                Platform.Url + "/api/lti/authorize_redirect", Platform.Url + "/login/oauth2/token", Platform.Url + TestPlatform.JwksPath,
                TestPlatform.DeploymentId),
            CancellationToken.None));

    public new async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (ArgumentNullException e) when (e.ParamName == "waitHandle" && e.StackTrace?.Contains("Hangfire.Server.BackgroundProcessingServer.WaitForShutdownAsync", StringComparison.Ordinal) == true)
        {
            // Hangfire 1.8's hosted service, stopped while one of its dispatchers is still starting (a class whose
            // tests finish within seconds of the host's start), waits on a handle it has not made yet. The host has
            // stopped all the same; everything a test asserts happened before this point.
        }

        Platform.Dispose();
        if (System.IO.Directory.Exists(FileStoreRoot))
        {
            System.IO.Directory.Delete(FileStoreRoot, recursive: true);
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SqliteToolHost : ToolHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresToolHost : ToolHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

#if SQLSERVER
public sealed class SqlServerToolHost : ToolHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.SqlServerAsync();
}
#endif

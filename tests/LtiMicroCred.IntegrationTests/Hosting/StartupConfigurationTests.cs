using System.Diagnostics;

namespace LtiMicroCred.IntegrationTests.Hosting;

/// <summary>A bad database setting stops the real app at start with one sentence naming the setting.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("Oracle", "Data Source=x", "Database:Provider")]
    [InlineData("PostgreSql", "", "Database:ConnectionString")]
    [InlineData("SqlServer", "", "Database:ConnectionString")]
    [InlineData("", "Data Source=x", "Database:Provider")]
    public async Task BadDatabaseSetting_StopsAppWithOneSentenceNamingIt(string provider, string connectionString, string setting)
    {
        var (exitCode, stdout, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = connectionString,
        });

        Assert.Equal(1, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains(setting, line, StringComparison.Ordinal);
        Assert.EndsWith(".", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadMigrateAtStartValue_StopsAppNamingTheSetting()
    {
        var (exitCode, _, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = "Data Source=x.db",
            ["Database__MigrateAtStart"] = "sometimes",
        });
        Assert.Equal(1, exitCode);
        Assert.Contains("Database:MigrateAtStart", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Canvas__PageSize", "500", "Canvas:PageSize")]
    [InlineData("Canvas__MaxConcurrencyPerHost", "0", "Canvas:MaxConcurrencyPerHost")]
    [InlineData("Web__MaxConcurrentRequests", "many", "Web:MaxConcurrentRequests")]
    [InlineData("Web__RequestQueueLimit", "-1", "Web:RequestQueueLimit")]
    public async Task BadCanvasOrWebSetting_StopsAppWithOneSentenceNamingIt(string variable, string value, string setting)
    {
        var (exitCode, stdout, stderr) = await RunAppAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__ConnectionString"] = "Data Source=x.db",
            [variable] = value,
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("The setting " + setting + " ", line, StringComparison.Ordinal);
        Assert.EndsWith(".", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(Dictionary<string, string> environment)
    {
        var app = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [app])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

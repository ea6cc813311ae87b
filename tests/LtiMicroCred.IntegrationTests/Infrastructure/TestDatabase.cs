using Npgsql;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>A throwaway database for one test host: a SQLite file, or a fresh database in the test PostgreSQL cluster.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "LTIMICROCRED_TEST_POSTGRES";
    public const string SqlServerVariable = "LTIMICROCRED_TEST_SQLSERVER";

    private readonly Func<Task> _drop;

    private TestDatabase(string provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static TestDatabase Sqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ltimc-test-{Guid.NewGuid():N}.db");
        return new TestDatabase("Sqlite", $"Data Source={path};Pooling=False", () =>
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        });
    }

    public static async Task<TestDatabase> PostgreSqlAsync()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster.");
        }

        var name = $"ltimc_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("PostgreSql", builder.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }

    public static async Task<TestDatabase> SqlServerAsync()
    {
        var admin = Environment.GetEnvironmentVariable(SqlServerVariable)
            ?? throw new InvalidOperationException($"{SqlServerVariable} is not set.");
        var name = $"ltimc_{Guid.NewGuid():N}";
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(admin) { InitialCatalog = name };
        await Task.CompletedTask;
        return new TestDatabase("SqlServer", builder.ConnectionString, async () =>
        {
            Microsoft.Data.SqlClient.SqlConnection.ClearAllPools();
            await using var connection = new Microsoft.Data.SqlClient.SqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new Microsoft.Data.SqlClient.SqlCommand($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }

    public async ValueTask DisposeAsync() => await _drop();
}

namespace LtiMicroCred.Web.Hosting;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>The "Database" section: which provider, which connection string, whether to migrate at start.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary>Server databases are migrated by the `migrate` command unless this is on; SQLite always migrates at start.</summary>
    public bool MigrateAtStart { get; init; }

    /// <summary>
    /// Reads and checks the section. A bad value stops the app with one sentence that names the setting,
    /// rather than a stack trace from deep inside EF Core.
    /// </summary>
    public static DatabaseOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var providerText = section["Provider"];
        if (string.IsNullOrWhiteSpace(providerText))
        {
            throw new StartupConfigurationException("The setting Database:Provider is missing; set it to Sqlite, PostgreSql or SqlServer.");
        }

        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new StartupConfigurationException(
                $"The setting Database:Provider has the unknown value '{providerText}'; use Sqlite, PostgreSql or SqlServer.");
        }

        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupConfigurationException($"The setting Database:ConnectionString is missing; {provider} needs a connection string.");
        }

        var migrateText = section["MigrateAtStart"];
        var migrate = false;
        if (!string.IsNullOrWhiteSpace(migrateText) && !bool.TryParse(migrateText, out migrate))
        {
            throw new StartupConfigurationException($"The setting Database:MigrateAtStart must be true or false, not '{migrateText}'.");
        }

        return new DatabaseOptions { Provider = provider, ConnectionString = connectionString, MigrateAtStart = migrate || provider == DatabaseProvider.Sqlite };
    }
}

/// <summary>A setting that keeps the app from starting; its message is one sentence naming the setting.</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);

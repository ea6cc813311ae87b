using LtiMicroCred.LtiStorage;
using LtiMicroCred.People;
using LtiMicroCred.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LtiMicroCred.Persistence;

/// <summary>The one EF Core model, on SQLite, PostgreSQL or SQL Server; each has its own migrations assembly.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    private const string SqliteProviderName = "Microsoft.EntityFrameworkCore.Sqlite";

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<PlatformRegistration> Platforms => Set<PlatformRegistration>();

    public DbSet<PlatformDeployment> Deployments => Set<PlatformDeployment>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<LaunchStateRecord> LaunchStates => Set<LaunchStateRecord>();

    public DbSet<ToolKeyRecord> ToolKeys => Set<ToolKeyRecord>();

    public DbSet<ServiceTokenRecord> ServiceTokens => Set<ServiceTokenRecord>();

    /// <summary>The ASP.NET Data Protection key ring, shared by every node through the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time-with-offset type and cannot compare the text form; every time we store is UTC,
        // so a binary (ticks) column keeps comparisons and ordering in SQL.
        if (Database.ProviderName == SqliteProviderName)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
}

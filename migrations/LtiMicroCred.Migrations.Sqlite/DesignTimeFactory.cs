using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LtiMicroCred.Migrations.Sqlite;

/// <summary>
/// Lets `dotnet ef migrations add X --project migrations/LtiMicroCred.Migrations.Sqlite` build the model for Sqlite
/// without starting the web host. The connection string is never opened when adding a migration.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name));
        return new AppDbContext(options.Options);
    }
}

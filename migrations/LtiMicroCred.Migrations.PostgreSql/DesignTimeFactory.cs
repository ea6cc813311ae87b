using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LtiMicroCred.Migrations.PostgreSql;

/// <summary>
/// Lets `dotnet ef migrations add X --project migrations/LtiMicroCred.Migrations.PostgreSql` build the model for PostgreSql
/// without starting the web host. The connection string is never opened when adding a migration.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.UseNpgsql("Host=localhost;Database=ltimicrocred_design", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name));
        return new AppDbContext(options.Options);
    }
}

using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LtiMicroCred.Migrations.SqlServer;

/// <summary>
/// Lets `dotnet ef migrations add X --project migrations/LtiMicroCred.Migrations.SqlServer` build the model for SqlServer
/// without starting the web host. The connection string is never opened when adding a migration.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.UseSqlServer("Server=localhost;Database=ltimicrocred_design;Trusted_Connection=True;TrustServerCertificate=True", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name));
        return new AppDbContext(options.Options);
    }
}

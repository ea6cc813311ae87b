using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using LtiMicroCred.Catalog.Sample;
using LtiMicroCred.Sandbox;
using LtiMicroCred.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// When the sandbox LMS is on, registers it with the tool like any other platform, once the server knows its
/// address (a free port in tests). The tool then reaches the sandbox only over HTTP, as it would a real LMS. The sandbox
/// district gets the sample catalog the first time, so there is something to browse.
/// </summary>
public static class SandboxBootstrap
{
    public const string TenantName = "Sandbox Unified School District";

    public static async Task RegisterSandboxPlatformAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var sandbox = services.GetRequiredService<SandboxLms>();
        var options = services.GetRequiredService<IConfiguration>().GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        var baseUrl = string.IsNullOrWhiteSpace(options.BaseUrl) ? ServerBaseUrl(services) : options.BaseUrl.TrimEnd('/');
        sandbox.SetBaseUrl(baseUrl);

        var platform = sandbox.Platform;
        await using var scope = services.CreateAsyncScope();
        var registered = await scope.ServiceProvider.GetRequiredService<RegisterPlatform>().HandleAsync(
            new RegisterPlatformCommand(TenantName, platform.Name, platform.Issuer, platform.ClientId, platform.AuthorizationEndpoint,
                platform.TokenEndpoint, platform.JwksUrl, platform.DeploymentId),
            cancellationToken);

        // The sandbox's REST developer key, so "Connect to Canvas" works out of the box (its secret is new every start).
        await scope.ServiceProvider.GetRequiredService<SetCanvasDeveloperKey>().HandleAsync(
            new SetCanvasDeveloperKeyCommand(registered.TenantId, new Uri(platform.CanvasBaseUrl), platform.RestClientId, platform.RestClientSecret),
            cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SampleCatalog>().LoadIfEmptyAsync(registered.TenantId, cancellationToken);
        await MapSandboxSchoolAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), registered.TenantId, cancellationToken);
        await AssignSandboxCoachAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), sandbox, registered, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Dev Patel (district admin, and a coach through his course role) coaches Lincoln Elementary's teachers, so a
    /// newcomer can ask for a check-in as Ada and answer it as Dev. Dev is known to the tool before his first launch
    /// (as a roster sync would make him), so the assignment can name him; his launch then fills in the rest.
    /// </summary>
    private static async Task AssignSandboxCoachAsync(AppDbContext db, SandboxLms sandbox, RegisteredPlatform registered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Coach = "admin-dev";
        var lincolnCode = SampleCatalog.Schools.Single(s => s.Name == "Lincoln Elementary").Code;
        var school = await db.Schools.Where(s => s.TenantId == registered.TenantId && s.Code == lincolnCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (school is null)
        {
            return;
        }

        var dev = await db.People.SingleOrDefaultAsync(p => p.PlatformId == registered.PlatformId && p.Subject == Coach, cancellationToken);
        if (dev is null)
        {
            var seed = sandbox.People.Single(p => p.Id == Coach);
            dev = new LtiMicroCred.People.Person
            {
                Id = Guid.NewGuid(), TenantId = registered.TenantId, PlatformId = registered.PlatformId, Subject = Coach, Name = seed.Name,
                GivenName = seed.GivenName, FamilyName = seed.FamilyName, Email = seed.Email, CreatedAt = now, LastLaunchAt = now,
            };
            db.People.Add(dev);
        }
        else if (await db.CoachAssignments.AnyAsync(a => a.CoachId == dev.Id && a.SchoolId == school && a.TeacherId == null && a.CredentialId == null, cancellationToken))
        {
            return;
        }

        db.CoachAssignments.Add(new LtiMicroCred.Coaching.CoachAssignment
        {
            Id = Guid.NewGuid(), TenantId = registered.TenantId, CoachId = dev.Id, SchoolId = school, AssignedBy = dev.Id, AssignedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The sandbox's launches carry Lincoln Elementary's Canvas sub-account id (custom canvas_account_id = 101); an alias
    /// to the sample catalog's school of that name places Ada and Ben there as teachers and Carla as its principal, so
    /// the whole flow (plan approval by the principal) works out of the box.
    /// </summary>
    private static async Task MapSandboxSchoolAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        const string Parameter = "canvas_account_id";
        const string LincolnAccountId = "101";
        var lincolnCode = SampleCatalog.Schools.Single(s => s.Name == "Lincoln Elementary").Code;
        var school = await db.Schools.Where(s => s.TenantId == tenantId && s.Code == lincolnCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (school is null || await db.SchoolAliases.AnyAsync(a => a.TenantId == tenantId && a.Parameter == Parameter && a.Value == LincolnAccountId, cancellationToken))
        {
            return;
        }

        db.SchoolAliases.Add(new SchoolAlias { Id = Guid.NewGuid(), TenantId = tenantId, Parameter = Parameter, Value = LincolnAccountId, SchoolId = school.Value });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string ServerBaseUrl(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new StartupConfigurationException("The setting Sandbox:BaseUrl is missing and the server has no address to derive it from.");
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal));
        return uri.GetLeftPart(UriPartial.Authority);
    }
}

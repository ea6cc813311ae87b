using LtiMicroCred;
using LtiMicroCred.Lti.Endpoints;
using LtiMicroCred.Lti.Hosting;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Sandbox;
using LtiMicroCred.Web.Hosting;
using LtiMicroCred.Web.Launching;

try
{
    var builder = WebApplication.CreateBuilder(args);
    var database = builder.AddPersistence();
    builder.AddJobs(database);
    builder.Services.AddLti(builder.Configuration);
    builder.Services.AddProduct();
    builder.Services.AddBadgeHosting();
    builder.AddFileStore();
    builder.AddCanvas();
    builder.Services.AddScoped<ILtiLaunchHandler, ProductLaunchHandler>();
    builder.AddLaunchAuthentication();
    builder.AddPages();
    builder.AddRequestAdmission(database);
    builder.Services.AddSandboxLms(builder.Configuration);
    builder.Services.AddHostedService<StartedTasks>();

    var app = builder.Build();
    if (args.Contains("migrate"))
    {
        await app.Services.MigrateDatabaseAsync();
        Console.WriteLine($"The {database.Provider} database is migrated.");
        return 0;
    }

    if (database.MigrateAtStart)
    {
        await app.Services.MigrateDatabaseAsync();
    }

    await app.Services.GetRequiredService<ToolKeySet>().EnsureKeysAsync(CancellationToken.None);

    app.UseWebPipeline();
    app.MapLtiEndpoints();
    app.MapToolConfiguration();
    app.MapBadgeEndpoints();
    app.MapRazorPages();
    app.MapJobsDashboard();
    if (app.Configuration.GetValue<bool>("Sandbox:Enabled"))
    {
        app.MapSandboxLms();
    }

    await app.RunAsync();
    return 0;
}
catch (StartupConfigurationException ex)
{
    // One sentence naming the setting, not a stack trace.
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;

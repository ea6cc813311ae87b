using LtiMicroCred.Sandbox;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// Work that needs the server's real address, done inside host start (so no request arrives before it is done):
/// registering the sandbox LMS when it is on, and scheduling the recurring jobs.
/// </summary>
public sealed class StartedTasks(IServiceProvider services, IConfiguration configuration) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        services.ScheduleRecurringJobs();
        if (configuration.GetValue<bool>($"{SandboxOptions.SectionName}:{nameof(SandboxOptions.Enabled)}"))
        {
            await services.RegisterSandboxPlatformAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LtiMicroCred.Benchmarks;

/// <summary>The outcome of one phase (warm-up or measured) of the load.</summary>
internal sealed record PhaseResult(
    IReadOnlyList<LaunchSample> Samples,
    int Planned,
    int Failed,
    int NotRun,
    TimeSpan Wall,
    IReadOnlyDictionary<string, int> Failures,
    CpuUsage? Cpu);

/// <summary>A smoke launch, the warm-up, then the measured launches at the chosen concurrency.</summary>
internal static class LoadRun
{
    private const int SmokeAttempts = 20;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("LtiMicroCred.Benchmarks", "1.0"));
        var journey = new LaunchJourney(http, options.BaseUrl);

        var background = await BackgroundLoad.WaitForQuietAsync(options.WaitQuiet, options.Label);
        using var deadline = new CancellationTokenSource(options.MaxDuration);
        Progress($"{options.Label}: smoke launch against {options.BaseUrl}");
        if (!await SmokeAsync(journey, options, deadline.Token))
        {
            return 1;
        }

        PhaseResult? warmup = null;
        if (options.Warmup > 0)
        {
            Progress($"{options.Label}: warm-up, {options.Warmup} launches at {options.Concurrency} concurrent");
            warmup = await RunPhaseAsync(journey, options, options.Warmup, deadline.Token);
            Progress($"{options.Label}: warm-up done in {warmup.Wall.TotalSeconds:0.0} s, {warmup.Failed} failed");
        }

        Progress($"{options.Label}: measuring {options.Launches} launches at {options.Concurrency} concurrent");
        var measured = await RunPhaseAsync(journey, options, options.Launches, deadline.Token);
        Progress($"{options.Label}: done in {measured.Wall.TotalSeconds:0.0} s, {measured.Failed} failed, {measured.NotRun} not run");

        Console.Out.Write(Report.Load(options, warmup, measured, background));
        return measured.Failed == 0 && measured.NotRun == 0 ? 0 : 1;
    }

    /// <summary>One launch until it works (the host may still be registering the sandbox), so a broken setup fails fast.</summary>
    private static async Task<bool> SmokeAsync(LaunchJourney journey, LoadOptions options, CancellationToken cancellationToken)
    {
        var person = options.People[0];
        string? lastError = null;
        for (var attempt = 1; attempt <= SmokeAttempts && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await journey.RunAsync(person, options.Course, new CookieJar(), cancellationToken);
                return true;
            }
            catch (LaunchFailedException ex)
            {
                lastError = ex.Message;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Console.Error.WriteLine($"bench: {options.Label}: a single launch as {person} does not work, so nothing was measured. Last error: {lastError}");
        return false;
    }

    private static async Task<PhaseResult> RunPhaseAsync(
        LaunchJourney journey, LoadOptions options, int count, CancellationToken cancellationToken)
    {
        var samples = new LaunchSample?[count];
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failed = 0;
        var next = -1;
        var progressEvery = Math.Max(1, count / 10);
        var completed = 0;

        var cpuBefore = CpuSnapshot.Take(options.HostPid, options.DatabasePid);
        var started = Stopwatch.GetTimestamp();
        var users = Enumerable.Range(0, Math.Min(options.Concurrency, count)).Select(_ => Task.Run(async () =>
        {
            // A virtual user: one browser, so one cookie jar for all of its launches.
            var cookies = new CookieJar();

            // With think time, users start at random moments and pause a random 0.5x-1.5x of it, so they do not
            // march in step and arrive as one burst of N launches at a time.
            if (!await ThinkAsync(options.ThinkTime, 0.0, 1.0, cancellationToken))
            {
                return;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= count)
                {
                    return;
                }

                try
                {
                    samples[index] = await journey.RunAsync(options.People[index % options.People.Count], options.Course, cookies, cancellationToken);
                }
                catch (LaunchFailedException ex)
                {
                    Interlocked.Increment(ref failed);
                    failures.AddOrUpdate(ex.Message.Length > 200 ? ex.Message[..200] : ex.Message, 1, (_, n) => n + 1);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // Anything else is a failed launch too, never a crashed run.
                    Interlocked.Increment(ref failed);
                    failures.AddOrUpdate(ex.GetType().Name + ": " + ex.Message, 1, (_, n) => n + 1);
                }

                if (Interlocked.Increment(ref completed) % progressEvery == 0)
                {
                    Progress($"  {completed}/{count}");
                }

                // No pause once every launch is taken, so the wall time ends with the last launch.
                if (Volatile.Read(ref next) >= count - 1 || !await ThinkAsync(options.ThinkTime, 0.5, 1.5, cancellationToken))
                {
                    return;
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(users);
        var wall = Stopwatch.GetElapsedTime(started);
        var cpu = cpuBefore.Until(CpuSnapshot.Take(options.HostPid, options.DatabasePid), wall);

        var done = samples.Where(s => s is not null).Select(s => s!).ToList();
        return new PhaseResult(done, count, failed, count - done.Count - failed, wall, failures, cpu);
    }

    /// <returns>False when the run was cancelled meanwhile.</returns>
    private static async Task<bool> ThinkAsync(TimeSpan mean, double minFactor, double maxFactor, CancellationToken cancellationToken)
    {
        if (mean <= TimeSpan.Zero)
        {
            return true;
        }

        // Load timing only, nothing secret: a plain pseudo-random factor is right here.
#pragma warning disable CA5394
        var factor = minFactor + (Random.Shared.NextDouble() * (maxFactor - minFactor));
#pragma warning restore CA5394
        try
        {
            await Task.Delay(mean * factor, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine("bench: " + message);
}

using System.Globalization;

namespace LtiMicroCred.Benchmarks;

/// <summary>Reads the command line and runs one mode. Exit codes: 0 done, 1 launches failed, 2 bad usage.</summary>
internal static class Cli
{
    public const string Usage = """
        LtiMicroCred launch benchmark

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --rs256 [--seconds 2] [--wait-quiet 0]
              The bare RS256 verification (and signing) rate of this machine, single-threaded and on all cores.

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --base-url http://127.0.0.1:PORT
                [--concurrency 50] [--warmup 200] [--launches 2000] [--label NAME]
                [--people teacher-ada,teacher-ben,principal-carla,admin-dev] [--course course-mc-1]
                [--host-pid PID] [--db-pid PID] [--timeout-seconds 30] [--max-seconds 900] [--target-p99-ms 50]
                [--think-ms 0] [--wait-quiet 0] [--no-notes]
              Full LTI 1.3 launches through the built-in sandbox LMS of a running host (Sandbox__Enabled=true),
              as a browser makes them. Only loopback addresses are accepted. --host-pid adds the host's CPU use,
              --db-pid that of a database server's process tree (the PostgreSQL postmaster and its backends).
              --think-ms: mean pause of each virtual user between its launches, 0.5x-1.5x at random
                (0: closed loop, back to back).
              --wait-quiet: wait up to this many seconds for other work on the machine to stop before measuring.
              --no-notes: leave out the notes under the tables (when several tables are printed together).

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --canvas-pull [--submissions 5000] [--latency-ms 50]
                [--concurrency 4] [--max-seconds 600]
              The Canvas REST client pulling every submission of an assignment (100 per page) from a WireMock Canvas in
              this process that holds each answer for --latency-ms, downloading each distinct attachment once.
              Prints requests made against the minimum, wall time and peak memory.

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --queues --postgres "Host=...;Username=...;Database=postgres"
                [--database ltimc_bench_queues] [--reuse] [--teachers 67000] [--schools 1700] [--attempts 500000]
                [--reviews 1500000] [--samples 300] [--target-p95-ms 150]
              Generates a Tennessee-sized tenant in a database of its own (dropped and made again unless --reuse and it
              exists), then loads the principal's and the reviewer's queues for people at random and reports latency.

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --reports --postgres "Host=...;Username=...;Database=postgres"
                [--database ltimc_bench_reports] [--reuse] [--teachers 67000] [--schools 1700] [--attempts 500000]
                [--reviews 1500000] [--samples 100] [--target-p95-ms 300]
              Same district as --queues (with the report data: skills, budgets, reservations, decisions, ledger; added
              to a reused district that lacks it), then times the progress, expertise and incentives reports (and their
              CSV) for district admins (no filter, one school, one credential, 90 days) and principals; exit 1 over target.

          dotnet run -c Release --project tests/LtiMicroCred.Benchmarks -- --outbox --postgres "Host=...;Username=...;Database=postgres"
                [--database ltimc_bench_outbox] [--messages 10000] [--latency-ms 50] [--concurrency 16]
              Drains that many grade messages through the outbox drain loop to a WireMock AGS endpoint in this process
              that answers each score after --latency-ms; prints time against n x latency / concurrency, lost, duplicated.

        Output is Markdown on stdout; progress goes to stderr.
        """;

    private static Queues.DistrictSize Size(Dictionary<string, string?> options) => new(
        Teachers: (int)Number(options, "teachers", 67_000, 10, 1_000_000),
        Schools: (int)Number(options, "schools", 1_700, 2, 100_000),
        Attempts: (int)Number(options, "attempts", 500_000, 10, 10_000_000),
        Reviews: (int)Number(options, "reviews", 1_500_000, 0, 30_000_000));

    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string?> options;
        try
        {
            options = Parse(args);
        }
        catch (UsageException ex)
        {
            return Fail(ex.Message);
        }

        if (options.ContainsKey("help") || options.ContainsKey("h") || args.Length == 0)
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            if (options.ContainsKey("rs256"))
            {
                var seconds = Number(options, "seconds", 2.0, 0.2, 60);
                var background = await BackgroundLoad.WaitForQuietAsync(TimeSpan.FromSeconds(Number(options, "wait-quiet", 0, 0, 3600)), "RS256 reference");
                Console.Out.Write(Rs256Reference.Run(TimeSpan.FromSeconds(seconds), background));
                return 0;
            }

            if (options.ContainsKey("canvas-pull"))
            {
                return await CanvasPull.RunAsync(new CanvasPullOptions(
                    Submissions: (int)Number(options, "submissions", 5000, 1, 1_000_000),
                    Latency: TimeSpan.FromMilliseconds(Number(options, "latency-ms", 50, 0, 10_000)),
                    Concurrency: (int)Number(options, "concurrency", 4, 1, 64),
                    MaxDuration: TimeSpan.FromSeconds(Number(options, "max-seconds", 600, 5, 86_400))));
            }

            if (options.ContainsKey("outbox"))
            {
                var connection = options.GetValueOrDefault("postgres") ?? throw new UsageException("--outbox needs --postgres \"connection string\".");
                return await Outbox.OutboxDrainBenchmark.RunAsync(new Outbox.OutboxBenchOptions(
                    connection,
                    options.GetValueOrDefault("database") ?? "ltimc_bench_outbox",
                    (int)Number(options, "messages", 10_000, 1, 1_000_000),
                    TimeSpan.FromMilliseconds(Number(options, "latency-ms", 50, 0, 10_000)),
                    (int)Number(options, "concurrency", 16, 1, 256)));
            }

            if (options.ContainsKey("reports"))
            {
                var connection = options.GetValueOrDefault("postgres") ?? throw new UsageException("--reports needs --postgres \"connection string\".");
                return await Reports.ReportBenchmark.RunAsync(new Reports.ReportBenchOptions(
                    connection,
                    options.GetValueOrDefault("database") ?? "ltimc_bench_reports",
                    options.ContainsKey("reuse"),
                    Size(options),
                    (int)Number(options, "samples", 100, 5, 100_000),
                    Number(options, "target-p95-ms", 300, 0.1, 100_000)));
            }

            if (options.ContainsKey("queues"))
            {
                var connection = options.GetValueOrDefault("postgres") ?? throw new UsageException("--queues needs --postgres \"connection string\".");
                return await Queues.QueueBenchmark.RunAsync(new Queues.QueueOptions(
                    connection,
                    options.GetValueOrDefault("database") ?? "ltimc_bench_queues",
                    options.ContainsKey("reuse"),
                    Size(options),
                    (int)Number(options, "samples", 300, 10, 100_000),
                    Number(options, "target-p95-ms", 150, 0.1, 100_000)));
            }

            var load = ReadLoadOptions(options);
            return await LoadRun.RunAsync(load);
        }
        catch (UsageException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static LoadOptions ReadLoadOptions(Dictionary<string, string?> options)
    {
        var baseText = options.GetValueOrDefault("base-url") ?? throw new UsageException("--base-url is required (or --rs256).");
        if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--base-url must be an absolute http(s) URL, not '{baseText}'.");
        }

        if (!Loopback.IsLoopback(baseUrl))
        {
            throw new UsageException($"--base-url must point at this machine (127.0.0.1, [::1] or localhost), not '{baseUrl.Host}'.");
        }

        var people = (options.GetValueOrDefault("people") ?? string.Join(',', LoadOptions.SandboxPeople))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (people.Length == 0)
        {
            throw new UsageException("--people needs at least one sandbox person id.");
        }


        return new LoadOptions(
            BaseUrl: new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + "/"),
            Concurrency: (int)Number(options, "concurrency", 50, 1, 1000),
            Warmup: (int)Number(options, "warmup", 200, 0, 1_000_000),
            Launches: (int)Number(options, "launches", 2000, 1, 1_000_000),
            Label: options.GetValueOrDefault("label") ?? baseUrl.GetLeftPart(UriPartial.Authority),
            People: people,
            Course: options.GetValueOrDefault("course") ?? "course-mc-1",
            HostPid: ProcessId(options, "host-pid"),
            DatabasePid: ProcessId(options, "db-pid"),
            RequestTimeout: TimeSpan.FromSeconds(Number(options, "timeout-seconds", 30, 1, 600)),
            MaxDuration: TimeSpan.FromSeconds(Number(options, "max-seconds", 900, 5, 86_400)),
            TargetP99Ms: Number(options, "target-p99-ms", 50, 0.1, 1_000_000),
            ThinkTime: TimeSpan.FromMilliseconds(Number(options, "think-ms", 0, 0, 60_000)),
            WaitQuiet: TimeSpan.FromSeconds(Number(options, "wait-quiet", 0, 0, 3600)),
            Notes: !options.ContainsKey("no-notes"));
    }

    private static Dictionary<string, string?> Parse(string[] args)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                throw new UsageException($"Unexpected argument '{arg}'. Run with --help for the options.");
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (name is not ("rs256" or "canvas-pull" or "queues" or "reports" or "outbox" or "reuse" or "no-notes" or "help" or "h"))
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"--{name} needs a value.");
                }

                value = args[++i];
            }

            result[name] = value;
        }

        return result;
    }

    private static double Number(Dictionary<string, string?> options, string name, double fallback, double min, double max)
    {
        if (!options.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a number from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    private static int? ProcessId(Dictionary<string, string?> options, string name) =>
        !options.TryGetValue(name, out var text)
            ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
                ? pid
                : throw new UsageException($"--{name} must be a process id, not '{text}'.");

    private static int Fail(string message)
    {
        Console.Error.WriteLine("bench: " + message);
        Console.Error.WriteLine("Run with --help for the options.");
        return 2;
    }
}

internal sealed class UsageException(string message) : Exception(message);

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace LtiMicroCred.Benchmarks;

/// <summary>The Markdown the driver prints.</summary>
internal static class Report
{
    public static string Load(LoadOptions options, PhaseResult? warmup, PhaseResult measured, double? backgroundLoad)
    {
        var journey = Latency.Of(measured.Samples.Select(s => s.JourneyMs));
        var tool = Latency.Of(measured.Samples.Select(s => s.ToolMs));
        var ok = measured.Samples.Count;
        var throughput = ok / measured.Wall.TotalSeconds;
        var md = new StringBuilder();

        var clients = options.Concurrency == 1 ? "1 client at a time (no queuing)" : Inv($"{options.Concurrency} concurrent clients");
        var think = options.ThinkTime > TimeSpan.Zero
            ? Inv($"each pausing {options.ThinkTime.TotalMilliseconds:0} ms on average (0.5x-1.5x at random, staggered start) between its launches")
            : "back to back (closed loop, no pause between launches)";
        md.AppendLine(Inv($"### Full LTI launches: {options.Label}, {clients}"))
            .AppendLine()
            .AppendLine(Inv($"{options.Launches} measured launches after {options.Warmup} warm-up launches ({warmup?.Failed ?? 0} warm-up failures); ") +
                Inv($"{options.Concurrency} virtual user(s) against {options.BaseUrl}, {think}; ") +
                Inv($"people {string.Join(", ", options.People)} (round robin) in {options.Course}; ") +
                Inv($"{Environment.ProcessorCount} logical cores; measured wall time {measured.Wall.TotalSeconds:0.0} s. ") +
                BackgroundLoad.Describe(backgroundLoad))
            .AppendLine()
            .AppendLine("| Part | Launches OK | Failed | Throughput (launches/s) | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|")
            .AppendLine(Row("Browser journey, steps 1-5 (sandbox + tool)", ok, measured.Failed, throughput, journey))
            .AppendLine(Row("Tool only, steps 2+4+5 summed per launch", ok, measured.Failed, throughput, tool))
            .AppendLine();

        if (ok > 0)
        {
            var verdict = tool.P99 < options.TargetP99Ms
                ? Inv($"**met**: p99 {tool.P99:0.0} ms, {options.TargetP99Ms - tool.P99:0.0} ms to spare")
                : Inv($"**missed by {tool.P99 - options.TargetP99Ms:0.0} ms**: p99 {tool.P99:0.0} ms ({tool.P99 / options.TargetP99Ms:0.0}x the target)");
            var atTarget = options.Concurrency != 50
                ? Inv($" (the target is set for 50 concurrent; this run used {options.Concurrency})")
                : options.ThinkTime > TimeSpan.Zero
                    ? Inv($" (but with think time: 50 users, on average only {throughput * journey.Mean / 1000:0.0} launches in flight)")
                    : string.Empty;
            md.AppendLine(Inv($"Target, tool-only part: p99 under {options.TargetP99Ms:0.#} ms at 50 concurrent on a 2-core machine: {verdict}{atTarget}."))
                .AppendLine();

            if (options.ThinkTime == TimeSpan.Zero && options.Concurrency > 1)
            {
                // Little's law: launches in flight = throughput x time in system.
                var littleMs = options.Concurrency / throughput * 1000;
                var toolShare = tool.Mean / journey.Mean;
                var needed = options.Concurrency * toolShare / (options.TargetP99Ms / 1000);
                md.AppendLine(Inv($"Closed loop: {options.Concurrency} clients back to back keep {options.Concurrency} launches in flight, so by Little's law ") +
                        Inv($"the mean journey is clients / throughput = {littleMs:0} ms (measured mean {journey.Mean:0} ms), {toolShare:0%} of it in the tool's steps. ") +
                        Inv($"For even the tool-only *mean* to reach {options.TargetP99Ms:0.#} ms this way, the machine would have to complete about {needed:0} launches/s, ") +
                        Inv($"{needed / throughput:0.0}x the measured rate."))
                    .AppendLine();
            }
        }

        md.AppendLine("| Step | Served by | Mean (ms) | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) | Share of step time |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        var stepLatencies = Enumerable.Range(0, Steps.Count).Select(i => Latency.Of(measured.Samples.Select(s => s.StepMs[i]))).ToList();
        var stepTotal = stepLatencies.Sum(l => l.Count == 0 ? 0 : l.Mean);
        for (var i = 0; i < Steps.Count; i++)
        {
            var l = stepLatencies[i];
            var share = stepTotal > 0 ? l.Mean / stepTotal : double.NaN;
            md.AppendLine(Inv($"| {Steps.Names[i]} | {(Steps.IsTool[i] ? "tool" : "sandbox LMS")} | {F(l.Mean)} | {F(l.P50)} | {F(l.P95)} | {F(l.P99)} | {F(l.Max)} | {share:0%} |"));
        }

        md.AppendLine();
        if (measured.Cpu is { } cpu && ok > 0)
        {
            var perLaunch = (TimeSpan t) => F(t.TotalMilliseconds / ok);
            var parts = new List<string>();
            if (cpu.Host is { } host)
            {
                parts.Add(Inv($"host process (tool + sandbox LMS) {perLaunch(host)} ms"));
            }

            if (cpu.Database is { } database)
            {
                parts.Add(Inv($"database server {perLaunch(database)} ms"));
            }

            parts.Add(Inv($"load driver {perLaunch(cpu.Driver)} ms"));
            parts.Add(Inv($"everything else (OS, other work) {perLaunch(cpu.Other)} ms"));
            md.Append(Inv($"CPU during the measured launches: the machine was {cpu.MachineBusyFraction:0%} busy, {perLaunch(cpu.MachineBusy)} ms of CPU per launch: "))
                .Append(string.Join(", ", parts)).Append('.');
            if (cpu.HostThreadsBefore is { } before && cpu.HostThreadsAfter is { } after)
            {
                md.Append(Inv($" Host threads: {before} before, {after} after (growth means requests blocked thread-pool threads)."));
            }

            var otherShare = cpu.MachineBusy > TimeSpan.Zero ? cpu.Other / cpu.MachineBusy : 0;
            if (otherShare > 0.15 && cpu.Host is not null)
            {
                md.Append(Inv($" **{otherShare:0%} of the busy CPU went to other work than this benchmark: the figures are disturbed.**"));
            }

            md.AppendLine().AppendLine();
        }

        // A fresh host compiles its hot path several times over (tier 0, instrumented, optimized) during its first few
        // thousand launches; that one-off cost shows here rather than in the measured launches.
        if (warmup is { Cpu.Host: { } warmupHost } && warmup.Samples.Count > 0)
        {
            md.AppendLine(Inv($"Warm-up: {warmup.Samples.Count} launches at {warmup.Samples.Count / warmup.Wall.TotalSeconds:0.0} launches/s, ") +
                    Inv($"host process {F(warmupHost.TotalMilliseconds / warmup.Samples.Count)} ms of CPU per launch (a fresh host also spends it on JIT compilation)."))
                .AppendLine();
        }

        if (measured.Failed > 0 || measured.NotRun > 0)
        {
            md.AppendLine(Inv($"**{measured.Failed} launches failed and {measured.NotRun} were not run** (time limit). Failures:"));
            foreach (var (reason, count) in measured.Failures.OrderByDescending(f => f.Value).Take(5))
            {
                md.AppendLine(Inv($"- {count} x {reason.ReplaceLineEndings(" ")}"));
            }

            md.AppendLine();
        }

        if (!options.Notes)
        {
            return md.ToString();
        }

        md.AppendLine("Notes (for every launch table):")
            .AppendLine("- Throughput is launches completed per second of wall time in the measured phase. The tool-only row counts the same launches: " +
                "the sandbox LMS runs in the tool's own process, so the platform's work (steps 1 and 3, including RS256 signing of every id_token) " +
                "and this load driver share the same cores with the tool while it is measured.")
            .AppendLine("- Step times are taken at the client, from sending the request to having read the whole response, so they include queuing in the host. " +
                "The journey also includes the driver's own HTML parsing between steps. Static files (CSS, JS) a browser would also load are not requested.")
            .AppendLine(Inv($"- Only the sandbox's {options.People.Count} seeded people are launched, so after their first launches every person, course and enrollment ") +
                "upsert updates existing rows (concurrently, on the same rows); inserts happen only at the start of the warm-up.");
        return md.AppendLine().ToString();
    }

    public static string Rs256(IReadOnlyList<Rs256Row> rows, TimeSpan duration, double? backgroundLoad)
    {
        var md = new StringBuilder();
        md.AppendLine("### Reference: bare RS256 on this machine")
            .AppendLine()
            .AppendLine(Inv($"{CpuModel()}, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {RuntimeInformation.OSDescription.Trim()}; ") +
                Inv($"RSA-2048 key, one signed JWT verified in a loop for {duration.TotalSeconds:0.#} s per cell. ") + BackgroundLoad.Describe(backgroundLoad))
            .AppendLine()
            .AppendLine(Inv($"| Operation | 1 thread (ops/s) | All {Environment.ProcessorCount} cores, parallel (ops/s) |"))
            .AppendLine("|---|---:|---:|");
        foreach (var row in rows)
        {
            md.AppendLine(Inv($"| {row.Operation} | {row.SingleThread:N0} | {row.AllCores:N0} |"));
        }

        var disturbed = rows.SelectMany(r => new[] { (r.Operation, "1 thread", r.SingleThreadOtherLoad), (r.Operation, "all cores", r.AllCoresOtherLoad) })
            .Where(c => c.Item3 > BackgroundLoad.QuietBelow)
            .Select(c => Inv($"{c.Operation.Split('(')[0].Trim()}, {c.Item2} ({c.Item3:0%} of the machine)"))
            .ToList();
        md.AppendLine();
        if (disturbed.Count > 0)
        {
            md.AppendLine("**Other processes used a share of the machine during: " + string.Join(", ", disturbed) + "; those cells may be low. Rerun on a quiet machine.**")
                .AppendLine();
        }

        return md.ToString();
    }

    private static string Row(string part, int ok, int failed, double throughput, Latency l) =>
        Inv($"| {part} | {ok} | {failed} | {throughput:0.0} | {F(l.P50)} | {F(l.P95)} | {F(l.P99)} | {F(l.Max)} |");

    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

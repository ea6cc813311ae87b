using System.Diagnostics;
using System.Globalization;

namespace LtiMicroCred.Benchmarks;

/// <summary>
/// CPU used during a phase: by the whole machine (Linux /proc/stat), the host process, the database server's
/// process tree when given, and this driver. What is left is other work on the machine, which disturbs the figures.
/// </summary>
/// <remarks>The host's thread count shows thread-pool growth, the sign of requests blocking their threads.</remarks>
internal sealed record CpuUsage(
    double MachineBusyFraction,
    TimeSpan MachineBusy,
    TimeSpan? Host,
    TimeSpan? Database,
    TimeSpan Driver,
    int? HostThreadsBefore,
    int? HostThreadsAfter)
{
    public TimeSpan Other
    {
        get
        {
            var other = MachineBusy - (Host ?? TimeSpan.Zero) - (Database ?? TimeSpan.Zero) - Driver;
            return other < TimeSpan.Zero ? TimeSpan.Zero : other;
        }
    }
}

internal sealed record CpuSnapshot(long[]? MachineJiffies, TimeSpan? Host, TimeSpan? Database, TimeSpan Driver, int? HostThreads)
{
    // Linux reports process times in USER_HZ ticks, 100 per second on every mainstream architecture.
    private const double UserHz = 100;

    public static CpuSnapshot Take(int? hostPid, int? databasePid = null)
    {
        using var self = Process.GetCurrentProcess();
        var (hostCpu, hostThreads) = ReadProcess(hostPid);
        return new(ReadMachine(), hostCpu, ReadProcessTree(databasePid), self.TotalProcessorTime, hostThreads);
    }

    public CpuUsage? Until(CpuSnapshot after, TimeSpan wall)
    {
        if (MachineJiffies is null || after.MachineJiffies is null)
        {
            return null;
        }

        // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
        var total = 0L;
        var idle = 0L;
        for (var i = 0; i < Math.Min(8, MachineJiffies.Length); i++)
        {
            var delta = after.MachineJiffies[i] - MachineJiffies[i];
            total += delta;
            if (i is 3 or 4)
            {
                idle += delta;
            }
        }

        var busyFraction = total <= 0 ? 0 : (double)(total - idle) / total;
        var machineBusy = TimeSpan.FromTicks((long)(wall.Ticks * busyFraction * Environment.ProcessorCount));
        return new CpuUsage(
            busyFraction,
            machineBusy,
            Host is { } h && after.Host is { } h2 ? h2 - h : null,
            Database is { } d && after.Database is { } d2 ? d2 - d : null,
            after.Driver - Driver,
            HostThreads,
            after.HostThreads);
    }

    private static long[]? ReadMachine()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static (TimeSpan? Cpu, int? Threads) ReadProcess(int? pid)
    {
        if (pid is not { } id)
        {
            return (null, null);
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return (process.TotalProcessorTime, process.Threads.Count);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// A server that forks a process per connection (PostgreSQL): the root's own and reaped children's time, plus
    /// the time of its live children.
    /// </summary>
    private static TimeSpan? ReadProcessTree(int? rootPid)
    {
        if (rootPid is not { } root || ReadStat(root) is not { } rootStat)
        {
            return null;
        }

        var ticks = rootStat.Own + rootStat.ReapedChildren;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && pid != root
                    && ReadStat(pid) is { } stat
                    && stat.ParentPid == root)
                {
                    ticks += stat.Own;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return TimeSpan.FromSeconds(ticks / UserHz);
    }

    private static (int ParentPid, long Own, long ReapedChildren)? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): ppid is field 4, utime/stime 14/15, cutime/cstime 16/17.
            long F(int field) => long.Parse(fields[field - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return ((int)F(4), F(14) + F(15), F(16) + F(17));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>
/// Whether something else keeps the machine busy (a build, other tests): then every figure here is disturbed, so
/// the run waits a bounded time for quiet and the report says how busy the machine was just before it started.
/// </summary>
internal static class BackgroundLoad
{
    public const double QuietBelow = 0.15;

    /// <summary>The busy share of all cores over one second, waiting up to <paramref name="maxWait"/> for it to drop below <see cref="QuietBelow"/>.</summary>
    /// <returns>Null where /proc/stat cannot be read.</returns>
    public static async Task<double?> WaitForQuietAsync(TimeSpan maxWait, string label)
    {
        var waitUntil = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        var warned = false;
        while (true)
        {
            var busy = await SampleAsync(TimeSpan.FromSeconds(1));
            if (busy is null || busy < QuietBelow || Stopwatch.GetTimestamp() >= waitUntil)
            {
                return busy;
            }

            if (!warned)
            {
                Console.Error.WriteLine($"bench: {label}: the machine is {busy:0%} busy with other work; waiting up to {maxWait.TotalSeconds:0} s for it to calm down");
                warned = true;
            }
        }
    }

    public static string Describe(double? busy) => busy switch
    {
        null => "Background load before the run: unknown (no /proc/stat).",
        < QuietBelow => string.Create(CultureInfo.InvariantCulture, $"Background load just before the run: {busy:0%} of all cores (quiet)."),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"**Background load just before the run: {busy:0%} of all cores were busy with other work, so these figures are disturbed; rerun on a quiet machine.**"),
    };

    private static async Task<double?> SampleAsync(TimeSpan window)
    {
        var before = CpuSnapshot.Take(null);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        return before.Until(CpuSnapshot.Take(null), Stopwatch.GetElapsedTime(started))?.MachineBusyFraction;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Canvas.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Benchmarks;

internal sealed record CanvasPullOptions(int Submissions, TimeSpan Latency, int Concurrency, TimeSpan MaxDuration);

/// <summary>
/// Pulls every submission of one assignment from a stub Canvas with the real client, downloading each distinct
/// attachment once, the way a grading sync would. Measures how many requests it takes against the least possible
/// (one per list page plus one per distinct file id), how long, and how much memory, which should stay flat as the
/// submission count grows because lists stream a page at a time.
/// </summary>
internal static class CanvasPull
{
    public static async Task<int> RunAsync(CanvasPullOptions options)
    {
        using var server = new CanvasPullServer(options.Submissions, options.Latency);
        var folder = Directory.CreateTempSubdirectory("canvas-pull-");
        using var timeout = new CancellationTokenSource(options.MaxDuration);
        try
        {
            var clientOptions = new CanvasClientOptions { MaxConcurrencyPerHost = options.Concurrency };
            using var registry = new CanvasClientRegistry(Options.Create(clientOptions), new FixedToken(), TimeProvider.System, NullLoggerFactory.Instance);
            var teacher = registry.Get(server.BaseUrl).ForUser("bench-teacher");

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var baselineHeap = GC.GetTotalMemory(forceFullCollection: false);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            Console.Error.WriteLine($"bench: pulling {options.Submissions} submissions from {server.BaseUrl} ({options.Latency.TotalMilliseconds:0} ms per request, {options.Concurrency} at a time)");

            using var sampler = new MemorySampler();
            var watch = Stopwatch.StartNew();
            var outcome = await PullAsync(teacher, folder.FullName, options.Concurrency, timeout.Token);
            watch.Stop();
            var (peakHeap, peakWorkingSet) = sampler.Stop();

            var report = new PullReport(options, server, outcome, watch.Elapsed, baselineHeap, peakHeap, peakWorkingSet,
                GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore, Process.GetCurrentProcess().PeakWorkingSet64);
            Console.Out.Write(report.ToMarkdown());
            return server.UnexpectedRequests == 0 && outcome.Submissions == options.Submissions ? 0 : 1;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Console.Error.WriteLine($"bench: the pull did not finish within {options.MaxDuration.TotalSeconds:0} s");
            return 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Streams the submissions and hands each attachment not seen before (by file id) to download workers; each file
    /// is kept under its SHA-256, so identical bytes under different ids are stored once.
    /// </summary>
    private static async Task<PullOutcome> PullAsync(CanvasUserClient teacher, string folder, int concurrency, CancellationToken cancellationToken)
    {
        var seenIds = new ConcurrentDictionary<long, bool>();
        var stored = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var queue = Channel.CreateBounded<CanvasFile>(new BoundedChannelOptions(concurrency * 4) { SingleWriter = true });
        long downloaded = 0;
        long downloadedBytes = 0;
        long attachmentRefs = 0;

        // A failed worker stops the whole pull, so the reader never waits on a queue nobody empties.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failed.Token;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var file in queue.Reader.ReadAllAsync(token))
                {
                    var path = Path.Combine(folder, file.Id.ToString(CultureInfo.InvariantCulture) + ".part");
                    var result = await teacher.DownloadFileAsync(file, path, token);
                    Interlocked.Increment(ref downloaded);
                    Interlocked.Add(ref downloadedBytes, result.Length);
                    if (stored.TryAdd(result.Sha256Hex, result.Length))
                    {
                        File.Move(path, Path.Combine(folder, result.Sha256Hex), overwrite: true);
                    }
                    else
                    {
                        File.Delete(path);
                    }
                }
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }, token)).ToList();

        var submissions = 0;
        try
        {
            await foreach (var submission in teacher.ListSubmissionsAsync(CanvasPullServer.CourseId, CanvasPullServer.AssignmentId, token))
            {
                submissions++;
                var files = (submission.Attachments ?? []).Concat((submission.SubmissionHistory ?? []).SelectMany(h => h.Attachments ?? []));
                foreach (var file in files)
                {
                    attachmentRefs++;
                    if (seenIds.TryAdd(file.Id, true))
                    {
                        await queue.Writer.WriteAsync(file, token);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A worker failed; its exception comes out of WhenAll below.
        }
        finally
        {
            queue.Writer.Complete();
        }

        await Task.WhenAll(workers);
        return new PullOutcome(submissions, attachmentRefs, seenIds.Count, downloaded, downloadedBytes, stored.Count, stored.Values.Sum());
    }

    private sealed class FixedToken : ICanvasUserTokenSource
    {
        public ValueTask<string> GetAccessTokenAsync(CanvasUserKey user, CancellationToken cancellationToken) => ValueTask.FromResult("bench-token");

        public ValueTask<string> RefreshAccessTokenAsync(CanvasUserKey user, string rejectedAccessToken, CancellationToken cancellationToken) =>
            ValueTask.FromResult("bench-token");
    }

    /// <summary>Samples the managed heap and working set every 20 ms and keeps the highest values seen.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peakHeap;
        private long _peakWorkingSet;

        public MemorySampler() => _loop = Task.Run(LoopAsync);

        public (long PeakHeap, long PeakWorkingSet) Stop()
        {
            _stop.Cancel();
            _loop.Wait();
            Sample();
            return (_peakHeap, _peakWorkingSet);
        }

        public void Dispose() => _stop.Dispose();

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    Sample();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        private void Sample()
        {
            _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            _peakWorkingSet = Math.Max(_peakWorkingSet, Environment.WorkingSet);
        }
    }
}

internal sealed record PullOutcome(int Submissions, long AttachmentRefs, int DistinctIds, long Downloads, long DownloadedBytes, int StoredContents, long StoredBytes);

internal sealed record PullReport(
    CanvasPullOptions Options,
    CanvasPullServer Server,
    PullOutcome Outcome,
    TimeSpan Wall,
    long BaselineHeap,
    long PeakHeap,
    long PeakWorkingSet,
    long Allocated,
    long ProcessPeakWorkingSet)
{
    public string ToMarkdown()
    {
        var made = Server.PageRequests + Server.FileRequests + Server.UnexpectedRequests;
        var minimum = Server.Pages + Server.DistinctFileIds;

        // With every request held for the latency and N in flight, no schedule beats requests x latency / N.
        var floor = TimeSpan.FromMilliseconds(minimum * Options.Latency.TotalMilliseconds / Options.Concurrency);
        var md = new StringBuilder()
            .AppendLine(Inv($"### Canvas pull: {Options.Submissions} submissions, {Options.Latency.TotalMilliseconds:0} ms per request, {Options.Concurrency} requests in flight per host"))
            .AppendLine()
            .AppendLine("| Measure | Value |")
            .AppendLine("|---|---:|")
            .AppendLine(Inv($"| Submissions read | {Outcome.Submissions} |"))
            .AppendLine(Inv($"| Attachment references (current + history) | {Outcome.AttachmentRefs} |"))
            .AppendLine(Inv($"| Distinct file ids / distinct contents | {Outcome.DistinctIds} / {Outcome.StoredContents} |"))
            .AppendLine(Inv($"| Requests made: list pages + downloads (+ unexpected) | {made}: {Server.PageRequests} + {Server.FileRequests} (+ {Server.UnexpectedRequests}) |"))
            .AppendLine(Inv($"| Minimum: ceil(n/100) pages + one download per distinct file id | {minimum}: {Server.Pages} + {Server.DistinctFileIds} |"))
            .AppendLine(Inv($"| Wall time | {Wall.TotalSeconds:0.0} s |"))
            .AppendLine(Inv($"| Floor for this latency and concurrency (minimum x latency / in flight) | {floor.TotalSeconds:0.0} s |"))
            .AppendLine(Inv($"| Bytes downloaded / stored after de-duplication by SHA-256 | {Mb(Outcome.DownloadedBytes)} / {Mb(Outcome.StoredBytes)} |"))
            .AppendLine(Inv($"| Managed heap before / peak during the pull | {Mb(BaselineHeap)} / {Mb(PeakHeap)} |"))
            .AppendLine(Inv($"| Working set peak during the pull (process peak) | {Mb(PeakWorkingSet)} ({Mb(ProcessPeakWorkingSet)}) |"))
            .AppendLine(Inv($"| Allocated during the pull | {Mb(Allocated)} |"))
            .AppendLine()
            .AppendLine("The stub Canvas runs in the same process (generating each page and file on request, keeping no request log), so " +
                "the memory figures include its share. Rerun with another --submissions to see whether the peak grows with the count.");
        return md.ToString();
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

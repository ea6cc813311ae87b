using System.Collections.Concurrent;
using LtiMicroCred.Canvas.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Canvas;

/// <summary>Hands out the one long-lived <see cref="CanvasClient"/> of each Canvas host.</summary>
public interface ICanvasClientRegistry
{
    /// <summary>
    /// The client for the Canvas at <paramref name="canvasBaseUrl"/> (scheme, host, port and any path prefix, such as
    /// <c>http://localhost:5000/sandbox</c>). Spellings that normalize alike share one client.
    /// </summary>
    CanvasClient Get(Uri canvasBaseUrl);
}

/// <summary>
/// Keeps one client per Canvas host for the life of the process, so connections, the concurrency limit and the
/// rate-limit estimate are shared by everything that talks to that host instead of being rebuilt per call.
/// </summary>
public sealed class CanvasClientRegistry : ICanvasClientRegistry, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<CanvasClient>> _clients = new(StringComparer.Ordinal);
    private readonly CanvasClientOptions _options;
    private readonly ICanvasUserTokenSource _tokens;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public CanvasClientRegistry(IOptions<CanvasClientOptions> options, ICanvasUserTokenSource tokens, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
    }

    public CanvasClient Get(Uri canvasBaseUrl)
    {
        // Checked before the cache, so a refused URL is not remembered as a failed entry.
        var key = CanvasClient.CheckBaseUrl(canvasBaseUrl, _options);
        return _clients.GetOrAdd(key, k => new Lazy<CanvasClient>(
            () => new CanvasClient(new Uri(k), _options, _tokens, _time, _loggers.CreateLogger<CanvasClient>()))).Value;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        _clients.Clear();
    }
}

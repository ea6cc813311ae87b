using LtiMicroCred.Canvas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// A Canvas stub and a client registry wired to it with a fake clock, fake tokens and captured logs: one per test.
/// Disposing it fails the test if the stub saw a request no stub expected.
/// </summary>
internal sealed class CanvasHarness : IDisposable
{
    public const long CourseId = 4321;
    public const long AssignmentId = 987;
    public const long StudentId = 7001;

    private readonly ILoggerFactory _loggerFactory;
    private readonly Lazy<CanvasClientRegistry> _registry;

    public CanvasHarness(string pathPrefix = "", Action<CanvasClientOptions>? configure = null)
    {
        Canvas = new CanvasStub(pathPrefix);
        Options = new CanvasClientOptions();
        configure?.Invoke(Options);
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        _registry = new Lazy<CanvasClientRegistry>(() =>
            new CanvasClientRegistry(Microsoft.Extensions.Options.Options.Create(Options), Tokens, Time, _loggerFactory));
    }

    public CanvasStub Canvas { get; }

    public CanvasClientOptions Options { get; }

    public InstantTimeProvider Time { get; } = new();

    public FakeTokenSource Tokens { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public CanvasClientRegistry Registry => _registry.Value;

    public CanvasClient Client => Registry.Get(new Uri(Canvas.CanvasUrl));

    /// <summary>The teacher whose token the tool uses for REST calls.</summary>
    public CanvasUserClient Teacher => Client.ForUser("teacher-5001");

    public void Dispose()
    {
        try
        {
            Canvas.AssertNoUnexpectedRequests();
        }
        finally
        {
            if (_registry.IsValueCreated)
            {
                _registry.Value.Dispose();
            }

            Canvas.Dispose();
            _loggerFactory.Dispose();
        }
    }
}

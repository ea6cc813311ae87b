using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace LtiMicroCred.CanvasTests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly CanvasHarness _h = new(configure: o => o.MaxConcurrencyPerHost = 2);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _twoArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _mostInFlight;
    private int _arrived;

    [Fact]
    public async Task ManyCallsAtOnce_NeverExceedTheHostLimit()
    {
        var body = ContractFile.Load("07b_rest_file_show").ResponseBodyText(_h.Canvas.CanvasUrl);
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/api/v1/files/240551")).RespondWith(Response.Create().WithCallback(async _ =>
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _mostInFlight, now);
            if (Interlocked.Increment(ref _arrived) == 2)
            {
                _twoArrived.TrySetResult();
            }

            // Requests are held until the test lets them go, so any request beyond the limit would overlap them.
            await _release.Task;
            Interlocked.Decrement(ref _inFlight);
            return new ResponseMessage
            {
                StatusCode = 200,
                BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
            };
        }));

        var calls = Enumerable.Range(0, 8).Select(_ => _h.Teacher.GetFileAsync(240551)).ToList();
        await _twoArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref _inFlight));
        _release.SetResult();
        var files = await Task.WhenAll(calls);

        Assert.Equal(8, files.Length);
        Assert.Equal(8, _h.Canvas.Requests.Count);
        Assert.Equal(2, _mostInFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public void Dispose() => _h.Dispose();
}

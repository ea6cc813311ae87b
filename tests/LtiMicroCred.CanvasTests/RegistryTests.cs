using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Hosting;
using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.CanvasTests;

public sealed class RegistryTests : IDisposable
{
    private readonly CanvasHarness _h = new("/sandbox");

    [Fact]
    public void SameHostSpelledDifferently_SharesOneClient()
    {
        var a = _h.Registry.Get(new Uri("HTTP://LocalHost:5000/sandbox/"));
        var b = _h.Registry.Get(new Uri("http://localhost:5000/sandbox"));
        var other = _h.Registry.Get(new Uri("http://localhost:5000/elsewhere"));

        Assert.Same(a, b);
        Assert.NotSame(a, other);
        Assert.Equal("http://localhost:5000/sandbox", a.BaseUrl);
    }

    [Fact]
    public async Task PathPrefix_IsKeptOnEveryRequest()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/api/v1/courses/4321/assignments"))
            .RespondWith(ContractFile.Load("06a_rest_assignments_list").Response(_h.Canvas.CanvasUrl));

        var assignments = await _h.Teacher.ListAssignmentsAsync(4321).CollectAsync();

        Assert.Equal(2, assignments.Count);
        Assert.Equal("/sandbox/api/v1/courses/4321/assignments", Assert.Single(_h.Canvas.Requests).Path);
        Assert.Equal("http://", _h.Teacher.User.CanvasBaseUrl[..7]);
        Assert.EndsWith("/sandbox", _h.Teacher.User.CanvasBaseUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://canvas.district.org")]
    [InlineData("https://canvas.district.org/?x=1")]
    [InlineData("ftp://canvas.district.org")]
    public void UnsafeOrMalformedBaseUrl_IsRefused(string baseUrl) =>
        Assert.Throws<ArgumentException>(() => _h.Registry.Get(new Uri(baseUrl)));

    [Fact]
    public void PlainHttpTestHost_IsAllowedWhenTheOptionSaysSo()
    {
        _h.Options.AllowInsecureHttp = true;

        Assert.Equal("http://canvas.test", _h.Registry.Get(new Uri("http://canvas.test/")).BaseUrl);
    }

    [Fact]
    public void AddCanvasClient_RegistersOneRegistry_AndAppliesTheOptions()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<LtiMicroCred.Canvas.Auth.ICanvasUserTokenSource>(_h.Tokens)
            .AddCanvasClient(o => o.MaxConcurrencyPerHost = 2)
            .BuildServiceProvider();

        var registry = provider.GetRequiredService<ICanvasClientRegistry>();

        Assert.Same(registry, provider.GetRequiredService<ICanvasClientRegistry>());
        Assert.Equal(2, provider.GetRequiredService<IOptions<CanvasClientOptions>>().Value.MaxConcurrencyPerHost);
        Assert.Same(registry.Get(new Uri("https://canvas.district.org")), registry.Get(new Uri("https://canvas.district.org/")));
    }

    [Fact]
    public void AddCanvasClient_BadSetting_FailsWithASentenceNamingIt()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<LtiMicroCred.Canvas.Auth.ICanvasUserTokenSource>(_h.Tokens)
            .AddCanvasClient(o => o.PageSize = 500)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CanvasClientOptions>>().Value);

        Assert.Contains("Canvas:PageSize must be between 1 and 100.", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}

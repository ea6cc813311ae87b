using System.Net;
using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.CanvasTests;

public sealed class TokenRefreshTests : IDisposable
{
    private const string FilePath = "/api/v1/files/240551";
    private readonly CanvasHarness _h = new();
    private readonly ContractFile _file = ContractFile.Load("07b_rest_file_show");

    [Fact]
    public async Task ExpiredToken_IsRefreshedOnce_AndTheRequestRepeatedWithTheNewToken()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath).WithHeader("Authorization", "Bearer token-1")).RespondWith(ExpiredToken());
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath).WithHeader("Authorization", "Bearer token-2")).RespondWith(_file.Response(_h.Canvas.CanvasUrl));

        var file = await _h.Teacher.GetFileAsync(240551);

        Assert.Equal(240551, file.Id);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], _h.Canvas.Requests.Select(r => CanvasStub.Header(r, "Authorization")));
        Assert.Equal("token-1", Assert.Single(_h.Tokens.Refreshes).Rejected);
        Assert.Empty(_h.Time.Delays);
    }

    [Fact]
    public async Task Unauthorized401WithoutWwwAuthenticate_IsAPermissionProblem_NoRefresh()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(Response.Create().WithStatusCode(401)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody("""{"status":"unauthorized","errors":[{"message":"user not authorized to perform that action"}]}"""));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("user not authorized to perform that action", error.CanvasMessage);
        Assert.Empty(_h.Tokens.Refreshes);
        Assert.Single(_h.Canvas.Requests);
    }

    [Fact]
    public async Task RefreshedTokenAlsoRejected_RefreshesOnlyOnce_ThenFails()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(ExpiredToken());

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("Invalid access token.", error.CanvasMessage);
        Assert.Single(_h.Tokens.Refreshes);
        Assert.Equal(2, _h.Canvas.Requests.Count);
    }

    [Fact]
    public async Task RevokedGrant_TheTokenSourcesExceptionReachesTheCaller()
    {
        _h.Tokens.RefreshFailure = new CanvasAuthorizationRequiredException(_h.Client.BaseUrl, "teacher-5001", "The teacher revoked the tool's access.");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(ExpiredToken());

        var error = await Assert.ThrowsAsync<CanvasAuthorizationRequiredException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Equal("teacher-5001", error.UserId);
        Assert.Single(_h.Canvas.Requests);
    }

    private static IResponseBuilder ExpiredToken() =>
        Response.Create().WithStatusCode(401)
            .WithHeader("WWW-Authenticate", "Bearer realm=\"canvas-lms\"")
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody("""{"errors":[{"message":"Invalid access token."}]}""");

    public void Dispose() => _h.Dispose();
}

using System.Net;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.CanvasTests;

public sealed class OAuthTests : IDisposable
{
    private const string TokenPath = "/login/oauth2/token";
    private static readonly CanvasDeveloperKey Key = new("10000000000012", "s3cr3t-developer-key");
    private static readonly Uri RedirectUri = new("https://tool.example.com/canvas/oauth/callback");

    // The development LMS serves Canvas under /sandbox: every OAuth URL must keep the prefix.
    private readonly CanvasHarness _h = new("/sandbox");

    [Fact]
    public void BuildAuthorizeUrl_KeepsThePathPrefix_AndEscapesEveryParameter()
    {
        var url = _h.Client.OAuth.BuildAuthorizeUrl(Key.ClientId, RedirectUri, "st/ate+1",
            ["url:GET|/api/v1/courses/:course_id/assignments", "url:PUT|/api/v1/courses/:course_id/assignments/:assignment_id/submissions/:user_id"]);

        Assert.Equal(
            _h.Canvas.CanvasUrl + "/login/oauth2/auth?client_id=10000000000012&response_type=code" +
            "&redirect_uri=https%3A%2F%2Ftool.example.com%2Fcanvas%2Foauth%2Fcallback&state=st%2Fate%2B1" +
            "&scope=url%3AGET%7C%2Fapi%2Fv1%2Fcourses%2F%3Acourse_id%2Fassignments%20url%3APUT%7C%2Fapi%2Fv1%2Fcourses%2F%3Acourse_id%2Fassignments%2F%3Aassignment_id%2Fsubmissions%2F%3Auser_id",
            url.AbsoluteUri);
    }

    [Fact]
    public void BuildAuthorizeUrl_WithoutScopes_LeavesScopeOut()
    {
        var url = _h.Client.OAuth.BuildAuthorizeUrl(Key.ClientId, RedirectUri, "abc");

        Assert.DoesNotContain("scope=", url.Query, StringComparison.Ordinal);
        Assert.EndsWith("&state=abc", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAuthorizationResponse_UserDeclined_IsAccessDenied()
    {
        var error = Assert.Throws<CanvasOAuthException>(() =>
            CanvasOAuthClient.ReadAuthorizationResponse(null, "abc", "access_denied", "The user denied the request", "abc"));

        Assert.Equal(CanvasOAuthError.AccessDenied, error.Error);
        Assert.Equal("access_denied", error.ErrorCode);
        Assert.Equal("The user denied the request", error.Description);
    }

    [Fact]
    public void ReadAuthorizationResponse_ForeignState_IsRefused()
    {
        var error = Assert.Throws<CanvasOAuthException>(() =>
            CanvasOAuthClient.ReadAuthorizationResponse("code-1", "someone-elses", null, null, "abc"));

        Assert.Equal(CanvasOAuthError.StateMismatch, error.Error);
    }

    [Fact]
    public void ReadAuthorizationResponse_MatchingState_ReturnsTheCode() =>
        Assert.Equal("code-1", CanvasOAuthClient.ReadAuthorizationResponse("code-1", "abc", null, null, "abc"));

    [Fact]
    public async Task ExchangeCode_PostsTheFormToTheTokenEndpoint_ReadsTokensAndUser()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", TokenPath)).RespondWith(Json(200, """
            {"access_token":"1/fFAGRNJru1FTz70BzhT3Zg","token_type":"Bearer",
             "user":{"id":5001,"name":"Dana Whitfield","global_id":"10000000005001","effective_locale":"en"},
             "canvas_region":"us-east-1","refresh_token":"tIh2YBWGiC0GgGRglT9Ylwv2MnTvy8csfGyfK2PqZmkFYYqYZ0wui4tzI7uBwnN2","expires_in":3600}
            """));

        var token = await _h.Client.OAuth.ExchangeCodeAsync(Key, "code-1", RedirectUri);

        var request = Assert.Single(_h.Canvas.Requests);
        AssertForm(request, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "10000000000012",
            ["client_secret"] = "s3cr3t-developer-key",
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["code"] = "code-1",
        });
        Assert.Equal("1/fFAGRNJru1FTz70BzhT3Zg", token.AccessToken);
        Assert.Equal("tIh2YBWGiC0GgGRglT9Ylwv2MnTvy8csfGyfK2PqZmkFYYqYZ0wui4tzI7uBwnN2", token.RefreshToken);
        Assert.Equal(TimeSpan.FromHours(1), token.ExpiresIn);
        Assert.Equal(_h.Time.GetUtcNow().AddHours(1), token.ExpiresAt);
        Assert.Equal(5001, token.CanvasUserId);
        Assert.Equal("Dana Whitfield", token.CanvasUserName);
        Assert.DoesNotContain(token.AccessToken, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.RefreshToken!, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_PostsTheRefreshGrant_AndCanvasKeepsTheRefreshToken()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", TokenPath)).RespondWith(Json(200, """
            {"access_token":"1/new-access","token_type":"Bearer","user":{"id":5001,"name":"Dana Whitfield"},"expires_in":3600}
            """));

        var token = await _h.Client.OAuth.RefreshAsync(Key, "stored-refresh-token");

        AssertForm(Assert.Single(_h.Canvas.Requests), new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "10000000000012",
            ["client_secret"] = "s3cr3t-developer-key",
            ["refresh_token"] = "stored-refresh-token",
        });
        Assert.Equal("1/new-access", token.AccessToken);
        Assert.Null(token.RefreshToken);
    }

    [Fact]
    public async Task Refresh_RevokedGrant_IsInvalidGrant()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", TokenPath))
            .RespondWith(Json(400, """{"error":"invalid_grant","error_description":"refresh_token not found"}"""));

        var error = await Assert.ThrowsAsync<CanvasOAuthException>(() => _h.Client.OAuth.RefreshAsync(Key, "revoked"));

        Assert.Equal(CanvasOAuthError.InvalidGrant, error.Error);
        Assert.Equal("refresh_token not found", error.Description);
        Assert.Equal("POST", error.Method);
        Assert.Equal("/sandbox" + TokenPath, error.Path);
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCode_UnknownDeveloperKey_IsInvalidClient()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", TokenPath))
            .RespondWith(Json(401, """{"error":"invalid_client","error_description":"unknown client"}"""));

        var error = await Assert.ThrowsAsync<CanvasOAuthException>(() => _h.Client.OAuth.ExchangeCodeAsync(Key, "code-1", RedirectUri));

        Assert.Equal(CanvasOAuthError.InvalidClient, error.Error);
        Assert.Empty(_h.Tokens.Refreshes);
    }

    [Fact]
    public async Task ExchangeCode_ServerError_IsNotRetried_BecauseACodeWorksOnce()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", TokenPath)).RespondWith(Response.Create().WithStatusCode(500));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Client.OAuth.ExchangeCodeAsync(Key, "code-1", RedirectUri));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Single(_h.Canvas.Requests);
    }

    [Fact]
    public void DeveloperKey_ToString_LeavesTheSecretOut() =>
        Assert.DoesNotContain("s3cr3t", Key.ToString(), StringComparison.Ordinal);

    private static void AssertForm(IRequestMessage request, Dictionary<string, string> expected)
    {
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sandbox" + TokenPath, request.Path);
        Assert.Equal("application/x-www-form-urlencoded", CanvasStub.Header(request, "Content-Type")?.Split(';')[0].Trim());
        Assert.Null(CanvasStub.Header(request, "Authorization"));
        var form = request.Body!.Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal(expected.OrderBy(p => p.Key), form.OrderBy(p => p.Key));
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    public void Dispose() => _h.Dispose();
}

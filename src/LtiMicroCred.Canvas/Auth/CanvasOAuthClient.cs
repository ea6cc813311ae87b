using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LtiMicroCred.Canvas.Http;
using LtiMicroCred.Canvas.Models;
using RestSharp;

namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// Canvas's OAuth2 authorization-code flow for the REST API (a developer key per district): the URL that sends a user
/// to Canvas's consent page, reading Canvas's redirect back, and the token endpoint for codes and refresh tokens.
/// Storing what it returns is the product's job (see <see cref="ICanvasUserTokenSource"/>).
/// </summary>
public sealed class CanvasOAuthClient
{
    private const string AuthorizePath = "login/oauth2/auth";
    private const string TokenPath = "login/oauth2/token";

    private readonly CanvasClient _client;
    private readonly TimeProvider _time;

    internal CanvasOAuthClient(CanvasClient client, TimeProvider time)
    {
        _client = client;
        _time = time;
    }

    /// <summary>
    /// Where to send the user's browser to authorize the tool. <paramref name="state"/> must be unguessable and tied
    /// to the user's session; check it on the way back with <see cref="ReadAuthorizationResponse"/>. Scopes are needed
    /// only when the developer key enforces them (e.g. <c>url:GET|/api/v1/courses/:course_id/assignments</c>).
    /// </summary>
    public Uri BuildAuthorizeUrl(string clientId, Uri redirectUri, string state, IEnumerable<string>? scopes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        var query = new StringBuilder()
            .Append("client_id=").Append(Uri.EscapeDataString(clientId))
            .Append("&response_type=code")
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.AbsoluteUri))
            .Append("&state=").Append(Uri.EscapeDataString(state));
        var scope = scopes is null ? "" : string.Join(' ', scopes);
        if (scope.Length > 0)
        {
            query.Append("&scope=").Append(Uri.EscapeDataString(scope));
        }

        return new UriBuilder(_client.Api(AuthorizePath)) { Query = query.ToString() }.Uri;
    }

    /// <summary>
    /// Reads the query of Canvas's redirect back to the tool and returns the authorization code. Throws
    /// <see cref="CanvasOAuthException"/> with <see cref="CanvasOAuthError.AccessDenied"/> when the user declined, and
    /// with <see cref="CanvasOAuthError.StateMismatch"/> when the state is not the one this session sent.
    /// </summary>
    public static string ReadAuthorizationResponse(string? code, string? state, string? error, string? errorDescription, string expectedState)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedState);
        if (!string.IsNullOrEmpty(error))
        {
            throw new CanvasOAuthException(CanvasOAuthException.Classify(error), error, errorDescription, "GET", "/" + AuthorizePath);
        }

        if (state is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(expectedState)))
        {
            throw new CanvasOAuthException(CanvasOAuthError.StateMismatch, "state_mismatch",
                "The redirect's state does not match the one this session sent.", "GET", "/" + AuthorizePath);
        }

        if (string.IsNullOrEmpty(code))
        {
            throw new CanvasOAuthException(CanvasOAuthError.InvalidRequest, "missing_code", "The redirect carried neither a code nor an error.", "GET", "/" + AuthorizePath);
        }

        return code;
    }

    /// <summary>Trades the code from the redirect for an access token and a refresh token.</summary>
    public Task<CanvasUserToken> ExchangeCodeAsync(CanvasDeveloperKey key, string code, Uri redirectUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(redirectUri);
        return RequestTokenAsync(
        [
            ("grant_type", "authorization_code"),
            ("client_id", key.ClientId),
            ("client_secret", key.ClientSecret),
            ("redirect_uri", redirectUri.AbsoluteUri),
            ("code", code),
        ], cancellationToken);
    }

    /// <summary>
    /// Gets a new access token with a refresh token. Canvas keeps the refresh token unchanged, so the answer's
    /// <see cref="CanvasUserToken.RefreshToken"/> is usually null. <see cref="CanvasOAuthError.InvalidGrant"/> means
    /// the user (or an admin) revoked the grant: the user must authorize again.
    /// </summary>
    public Task<CanvasUserToken> RefreshAsync(CanvasDeveloperKey key, string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return RequestTokenAsync(
        [
            ("grant_type", "refresh_token"),
            ("client_id", key.ClientId),
            ("client_secret", key.ClientSecret),
            ("refresh_token", refreshToken),
        ], cancellationToken);
    }

    private async Task<CanvasUserToken> RequestTokenAsync(IReadOnlyList<(string Name, string Value)> form, CancellationToken cancellationToken)
    {
        var transport = _client.Transport;

        // A code can be used once, so a token request is repeated only after a rate-limit refusal, which Canvas sends
        // before looking at the code.
        var call = new CanvasCall(Method.Post, _client.Api(TokenPath), r =>
        {
            r.AddHeader(KnownHeaders.Accept, "application/json");
            foreach (var (name, value) in form)
            {
                r.AddParameter(name, value, ParameterType.GetOrPost);
            }
        }, Idempotent: false, AccessToken: null);
        var response = await transport.SendAsync(call, cancellationToken);
        if ((response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized) && ReadError(response) is { } error)
        {
            throw new CanvasOAuthException(CanvasOAuthException.Classify(error.Error!), error.Error!, error.ErrorDescription,
                call.MethodName, transport.DescribePath(call.Target));
        }

        var answer = transport.Read(call, response, CanvasJsonContext.Default.TokenAnswer);
        if (string.IsNullOrEmpty(answer.AccessToken))
        {
            throw new CanvasException(call.MethodName, transport.DescribePath(call.Target), "Canvas's token answer carried no access_token.");
        }

        TimeSpan? lifetime = answer.ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        return new CanvasUserToken
        {
            AccessToken = answer.AccessToken,
            TokenType = answer.TokenType ?? "Bearer",
            RefreshToken = answer.RefreshToken,
            ExpiresIn = lifetime,
            ExpiresAt = lifetime is { } span ? _time.GetUtcNow() + span : null,
            CanvasUserId = answer.User?.Id,
            CanvasUserName = answer.User?.Name,
        };
    }

    private static OAuthErrorAnswer? ReadError(RestResponse response)
    {
        try
        {
            var error = JsonSerializer.Deserialize(response.RawBytes ?? [], CanvasJsonContext.Default.OAuthErrorAnswer);
            return string.IsNullOrEmpty(error?.Error) ? null : error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

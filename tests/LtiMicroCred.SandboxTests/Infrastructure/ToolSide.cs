using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.SandboxTests.Infrastructure;

/// <summary>
/// What the tool does against the sandbox, written from the specs rather than with the tool's library: signs client
/// assertions and deep linking responses, gets tokens, runs the REST code flow and drives launches through the
/// browser forms.
/// </summary>
public sealed partial class ToolSide(SandboxHost host)
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public const string LineItemScope = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public const string LineItemReadOnlyScope = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public const string ResultScope = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public const string ScoreScope = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public const string NrpsScope = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    public static readonly string[] AllScopes = [LineItemScope, LineItemReadOnlyScope, ResultScope, ScoreScope, NrpsScope];

    private static readonly JsonWebTokenHandler Handler = new();

    public HttpClient Http { get; } = host.CreateClient();

    /// <summary>A client assertion (RFC 7523) with sensible defaults; each argument breaks one thing on purpose.</summary>
    public string ClientAssertion(
        string? audience = null,
        TimeSpan? expiresIn = null,
        string? jti = null,
        SecurityKey? key = null,
        string issuer = SandboxHost.ClientId,
        string subject = SandboxHost.ClientId)
    {
        var now = host.Clock.GetUtcNow().UtcDateTime;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience ?? host.TokenUrl,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(5) : now,
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(5) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? host.ToolKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = jti ?? Guid.NewGuid().ToString(),
            },
        });
    }

    public Task<HttpResponseMessage> RequestServiceTokenAsync(string assertion, params string[] scopes) =>
        Http.PostAsync(host.TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = JwtBearer,
            ["client_assertion"] = assertion,
            ["scope"] = string.Join(" ", scopes),
        }));

    public async Task<string> ServiceTokenAsync(params string[] scopes)
    {
        var response = await RequestServiceTokenAsync(ClientAssertion(), scopes.Length == 0 ? AllScopes : scopes);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Sends an API request with a bearer token and, for a body, the given media type.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, string? json = null, string? mediaType = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType ?? "application/json");
        }

        return await Http.SendAsync(request);
    }

    public const string RedirectUri = "/oauth/canvas/callback";

    /// <summary>The REST code flow up to the redirect back: consent page, then the person's answer.</summary>
    public async Task<HttpResponseMessage> ConsentAsync(string personId, string decision, string state = "xyz-state")
    {
        var page = await Http.GetAsync(AuthorizeUrl(personId, state));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        var ticket = WebUtility.HtmlDecode(TicketField().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(ticket), html);
        return await Http.PostAsync("/sandbox/login/oauth2/auth",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket, ["decision"] = decision }));
    }

    public string AuthorizeUrl(string? personId, string state = "xyz-state", string? redirectUri = null) =>
        QueryHelpers.AddQueryString("/sandbox/login/oauth2/auth", new Dictionary<string, string?>
        {
            ["client_id"] = SandboxHost.RestClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri ?? host.BaseUrl + RedirectUri,
            ["state"] = state,
            ["as_user"] = personId,
        }.Where(kv => kv.Value is not null));

    public Task<HttpResponseMessage> ExchangeAsync(Dictionary<string, string> fields) =>
        Http.PostAsync(host.TokenUrl, new FormUrlEncodedContent(fields));

    public static string QueryValue(Uri location, string name) =>
        QueryHelpers.ParseQuery(location.Query).TryGetValue(name, out var v) ? v.ToString() : string.Empty;

    /// <summary>The whole code flow for one person: access and refresh token.</summary>
    public async Task<(string AccessToken, string RefreshToken)> RestTokensAsync(string personId)
    {
        var redirect = await ConsentAsync(personId, "authorize");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var code = QueryValue(redirect.Headers.Location!, "code");
        var response = await ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SandboxHost.RestClientId,
            ["client_secret"] = SandboxHost.RestClientSecret,
            ["redirect_uri"] = host.BaseUrl + RedirectUri,
            ["code"] = code,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>
    /// Follows a sandbox launch as a browser and the tool would: the login initiation form, the tool's OIDC
    /// authorization request, and the form that posts the id_token, whose signature is checked with the sandbox's JWKS.
    /// </summary>
    public async Task<(JsonElement Claims, Dictionary<string, string> LoginFields)> LaunchAsync(string launchPath)
    {
        var start = await Http.GetAsync(launchPath);
        var startHtml = await start.Content.ReadAsStringAsync();
        Assert.True(start.StatusCode == HttpStatusCode.OK, startHtml);
        var (loginUrl, login) = ReadForm(startHtml);
        Assert.Equal(host.BaseUrl + "/lti/login", loginUrl);

        var nonce = Guid.NewGuid().ToString("N");
        var auth = await Http.GetAsync(QueryHelpers.AddQueryString("/sandbox/auth", new Dictionary<string, string?>
        {
            ["scope"] = "openid",
            ["response_type"] = "id_token",
            ["response_mode"] = "form_post",
            ["prompt"] = "none",
            ["client_id"] = login["client_id"],
            ["redirect_uri"] = host.BaseUrl + "/lti/launch",
            ["login_hint"] = login["login_hint"],
            ["lti_message_hint"] = login["lti_message_hint"],
            ["state"] = "state-1",
            ["nonce"] = nonce,
        }));
        var authHtml = await auth.Content.ReadAsStringAsync();
        Assert.True(auth.StatusCode == HttpStatusCode.OK, authHtml);
        var (_, posted) = ReadForm(authHtml);

        var jwks = new JsonWebKeySet(await Http.GetStringAsync("/sandbox/jwks"));
        var result = await Handler.ValidateTokenAsync(posted["id_token"], new TokenValidationParameters
        {
            ValidIssuer = host.Root,
            ValidAudience = SandboxHost.ClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            // The id_token is dated by the sandbox's (moved) clock, not the machine's.
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        var claims = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement.Clone();
        Assert.Equal(nonce, claims.GetProperty("nonce").GetString());
        return (claims, login);
    }

    /// <summary>An LtiDeepLinkingResponse signed by the tool; <paramref name="change"/> edits the claims before signing.</summary>
    public string DeepLinkingResponse(JsonElement request, IReadOnlyList<object> items, Action<Dictionary<string, object>>? change = null)
    {
        var settings = request.GetProperty("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings");
        var claims = new Dictionary<string, object>
        {
            ["nonce"] = Guid.NewGuid().ToString("N"),
            ["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingResponse",
            ["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.3.0",
            ["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = request.GetProperty("https://purl.imsglobal.org/spec/lti/claim/deployment_id").GetString()!,
            ["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings.GetProperty("data").GetString()!,
            ["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"] = items.ToArray(),
            ["https://purl.imsglobal.org/spec/lti-dl/claim/msg"] = "Added from the test tool.",
        };
        var audience = request.GetProperty("iss").GetString()!;
        var issuer = SandboxHost.ClientId;
        change?.Invoke(claims);
        if (claims.Remove("aud", out var aud))
        {
            audience = (string)aud;
        }

        if (claims.Remove("iss", out var iss))
        {
            issuer = (string)iss;
        }

        var now = host.Clock.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(host.ToolKey, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });
    }

    public static (string Action, Dictionary<string, string> Fields) ReadForm(string html)
    {
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.False(string.IsNullOrEmpty(action), html);
        return (action, fields);
    }

    [GeneratedRegex("<form[^>]*id=\"auto-submit\"[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"ticket\" value=\"([^\"]*)\"")]
    private static partial Regex TicketField();
}

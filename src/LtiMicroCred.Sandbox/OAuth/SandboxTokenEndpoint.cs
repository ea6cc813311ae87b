using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>
/// POST /login/oauth2/token, as Canvas serves it: client_credentials with a signed client assertion for the LTI
/// Advantage services, and authorization_code / refresh_token for the REST API's developer key.
/// </summary>
internal static partial class SandboxTokenEndpoint
{
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        SandboxLms lms,
        SandboxToolJwtValidator validator,
        SandboxReplayCache replays,
        SandboxAccessTokens tokens,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        context.Response.Headers.CacheControl = "no-store";
        var fields = await SandboxRequestBody.ReadAsync(context.Request, cancellationToken);
        if (fields is null)
        {
            return Refuse(context, logger, "invalid_request", "The body must be a form (application/x-www-form-urlencoded) or a JSON object.");
        }

        string Get(string name) => fields.TryGetValue(name, out var value) ? value : string.Empty;
        var request = new TokenRequest(Get, lms, tokens, timeProvider, context, logger);
        return Get("grant_type") switch
        {
            "client_credentials" => await ClientCredentialsAsync(request, validator, replays, cancellationToken),
            "authorization_code" => AuthorizationCode(request),
            "refresh_token" => RefreshToken(request),
            "" => Refuse(context, logger, "invalid_request", "grant_type is missing."),
            var other => Refuse(context, logger, "unsupported_grant_type",
                $"grant_type '{other}' is not supported; use client_credentials, authorization_code or refresh_token."),
        };
    }

    private static async Task<IResult> ClientCredentialsAsync(
        TokenRequest request,
        SandboxToolJwtValidator validator,
        SandboxReplayCache replays,
        CancellationToken cancellationToken)
    {
        var (get, lms, context, logger) = (request.Get, request.Lms, request.Context, request.Logger);
        if (get("client_assertion_type") != JwtBearerAssertionType)
        {
            return Refuse(context, logger, "invalid_request", $"client_assertion_type must be '{JwtBearerAssertionType}'.");
        }

        var requested = get("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (requested.Count == 0)
        {
            return Refuse(context, logger, "invalid_scope", "scope is missing: name the LTI Advantage scopes the token is for.");
        }

        var unsupported = requested.Where(s => !SandboxScopes.Supported.Contains(s)).ToList();
        if (unsupported.Count > 0)
        {
            return Refuse(context, logger, "invalid_scope", $"This LMS does not grant: {string.Join(" ", unsupported)}.");
        }

        var (token, problem) = await validator.ValidateAsync(get("client_assertion"), lms.TokenEndpoint, cancellationToken);
        if (token is null)
        {
            return Refuse(context, logger, "invalid_client", "The client assertion was refused: " + problem, StatusCodes.Status401Unauthorized);
        }

        if (token.Subject != lms.Options.ClientId)
        {
            return Refuse(context, logger, "invalid_client",
                $"The client assertion's sub is '{token.Subject}', but it must be the client_id '{lms.Options.ClientId}'.",
                StatusCodes.Status401Unauthorized);
        }

        if (!token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti))
        {
            return Refuse(context, logger, "invalid_client", "The client assertion has no jti.", StatusCodes.Status401Unauthorized);
        }

        // Checked last, so an assertion refused for another reason does not use up its jti.
        if (!replays.TryUse("assertion:" + jti, token.ValidTo + SandboxToolJwtValidator.ClockSkew))
        {
            return Refuse(context, logger, "invalid_client", $"The client assertion's jti '{jti}' was used before; make a new assertion for each request.",
                StatusCodes.Status401Unauthorized);
        }

        var lifetime = lms.Options.ServiceTokenLifetime;
        var accessToken = request.Tokens.Issue(new SandboxGrant(SandboxTokenKind.Service, lms.Options.ClientId,
            new HashSet<string>(requested, StringComparer.Ordinal), null, request.Time.GetUtcNow() + lifetime));
        var granted = string.Join(" ", requested);
        LogServiceTokenIssued(logger, lms.Options.ClientId, granted);
        return SandboxJson.Ok(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["scope"] = granted,
        }, SandboxMediaTypes.Json);
    }

    private static IResult AuthorizationCode(TokenRequest request)
    {
        var (get, lms, context, logger) = (request.Get, request.Lms, request.Context, request.Logger);
        if (AuthenticateRestClient(request) is { } refused)
        {
            return refused;
        }

        if (get("code").Length == 0)
        {
            return Refuse(context, logger, "invalid_request", "code is missing.");
        }

        var code = request.Tokens.RedeemCode(get("code"));
        if (code is null || code.ClientId != get("client_id"))
        {
            return Refuse(context, logger, "invalid_grant", "The code is unknown, was already used or has expired.");
        }

        // RFC 6749 4.1.3: the redirect_uri must be the one the code was sent to.
        if (get("redirect_uri") != code.RedirectUri)
        {
            return Refuse(context, logger, "invalid_grant", "redirect_uri does not match the one the code was issued for.");
        }

        var person = lms.FindPerson(code.PersonId)!;
        var refreshToken = request.Tokens.IssueRefreshToken(person.Id, code.ClientId);
        var body = RestTokenBody(request, person, code.ClientId);
        body["refresh_token"] = refreshToken;
        LogRestTokenIssued(logger, person.Id, "authorization_code");
        return SandboxJson.Ok(body, SandboxMediaTypes.Json);
    }

    private static IResult RefreshToken(TokenRequest request)
    {
        var (get, lms, context, logger) = (request.Get, request.Lms, request.Context, request.Logger);
        if (AuthenticateRestClient(request) is { } refused)
        {
            return refused;
        }

        var grant = get("refresh_token").Length == 0 ? null : request.Tokens.FindRefreshToken(get("refresh_token"));
        if (grant is null || grant.ClientId != get("client_id"))
        {
            return Refuse(context, logger, "invalid_grant", "The refresh token is unknown or was issued to another client.");
        }

        var person = lms.FindPerson(grant.PersonId)!;
        LogRestTokenIssued(logger, person.Id, "refresh_token");
        // Canvas keeps the refresh token and answers without a new one.
        return SandboxJson.Ok(RestTokenBody(request, person, grant.ClientId), SandboxMediaTypes.Json);
    }

    private static JsonObject RestTokenBody(TokenRequest request, SandboxPerson person, string clientId)
    {
        var lifetime = request.Lms.Options.RestAccessTokenLifetime;
        var accessToken = request.Tokens.Issue(new SandboxGrant(SandboxTokenKind.Rest, clientId, new HashSet<string>(StringComparer.Ordinal),
            person.Id, request.Time.GetUtcNow() + lifetime));
        return new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["user"] = new JsonObject
            {
                ["id"] = person.CanvasId,
                ["name"] = person.Name,
                ["global_id"] = person.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["effective_locale"] = "en",
            },
            ["expires_in"] = (long)lifetime.TotalSeconds,
        };
    }

    private static IResult? AuthenticateRestClient(TokenRequest request)
    {
        var (get, lms) = (request.Get, request.Lms);
        var idMatches = get("client_id") == lms.Options.RestClientId;
        var secretMatches = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(get("client_secret"))), SHA256.HashData(Encoding.UTF8.GetBytes(lms.RestClientSecret)));
        return idMatches && secretMatches
            ? null
            : Refuse(request.Context, request.Logger, "invalid_client",
                idMatches ? "client_secret is wrong." : $"client_id '{get("client_id")}' is not the REST developer key ('{lms.Options.RestClientId}').",
                StatusCodes.Status401Unauthorized);
    }

    private static IResult Refuse(HttpContext context, ILogger logger, string error, string description, int statusCode = StatusCodes.Status400BadRequest)
    {
        LogRefused(logger, error, description);
        return SandboxJson.OAuthError(context, error, description, statusCode);
    }

    private sealed record TokenRequest(
        Func<string, string> Get,
        SandboxLms Lms,
        SandboxAccessTokens Tokens,
        TimeProvider Time,
        HttpContext Context,
        ILogger Logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox LMS refused a token request ({Error}): {Description}")]
    private static partial void LogRefused(ILogger logger, string error, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS issued a service token to {ClientId} for {Scopes}")]
    private static partial void LogServiceTokenIssued(ILogger logger, string clientId, string scopes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS issued a REST token for {PersonId} ({GrantType})")]
    private static partial void LogRestTokenIssued(ILogger logger, string personId, string grantType);
}

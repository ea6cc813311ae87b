using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>
/// Checks a JWT the tool signed (a client assertion or a deep linking response): RS256 only, a key from the tool's
/// key set, iss = the tool's client_id, the expected aud, exp and iat on the sandbox's clock. Each refusal is a
/// sentence naming the claim at fault, because the person reading it is a developer fixing their tool.
/// </summary>
internal sealed class SandboxToolJwtValidator(SandboxLms lms, SandboxToolKeySet keys, TimeProvider timeProvider)
{
    /// <summary>Allowance for clocks that disagree a little, as between a laptop and a server.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler handler = new();

    /// <returns>The validated token, or null with <paramref name="Problem"/> set.</returns>
    public async Task<(JsonWebToken? Token, string Problem)> ValidateAsync(string? jwt, string audience, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(jwt))
        {
            return (null, "No JWT was sent.");
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(jwt);
        }
        catch (ArgumentException)
        {
            return (null, "The value is not a JWT (three base64url parts separated by dots).");
        }

        if (token.Alg != SecurityAlgorithms.RsaSha256)
        {
            return (null, $"The JWT's alg is '{token.Alg}'; LTI 1.3 allows only RS256.");
        }

        SecurityKey? key;
        try
        {
            key = await keys.FindAsync(token.Kid, cancellationToken);
        }
        catch (SandboxToolKeysUnavailableException ex)
        {
            return (null, ex.Message);
        }

        if (key is null)
        {
            return (null, string.IsNullOrEmpty(token.Kid)
                ? $"The JWT names no kid and the tool's key set at {lms.ToolJwksUrl} does not hold exactly one key."
                : $"The tool's key set at {lms.ToolJwksUrl} has no key with kid '{token.Kid}'.");
        }

        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = lms.Options.ClientId,
            ValidAudience = audience,
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            // The sandbox's clock, not the machine's, so tests can expire a JWT without waiting for it.
            LifetimeValidator = ValidateLifetime,
        });
        if (!result.IsValid)
        {
            return (null, Explain(result.Exception, token, audience));
        }

        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat))
        {
            return (null, "The JWT has no iat.");
        }

        if (DateTimeOffset.FromUnixTimeSeconds(iat) > timeProvider.GetUtcNow() + ClockSkew)
        {
            return (null, "The JWT's iat is in the future.");
        }

        return (token, string.Empty);
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The JWT has no exp.");
        }

        if (notBefore is { } nbf && nbf > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The JWT is not valid yet.");
        }

        return expires.Value >= now - ClockSkew
            ? true
            : throw new SecurityTokenExpiredException("The JWT has expired.");
    }

    private string Explain(Exception? exception, JsonWebToken token, string audience) => exception switch
    {
        SecurityTokenExpiredException => $"The JWT expired at {token.ValidTo:u}; the sandbox's clock says {timeProvider.GetUtcNow():u}.",
        SecurityTokenNotYetValidException => $"The JWT is not valid before {token.ValidFrom:u}.",
        SecurityTokenNoExpirationException => "The JWT has no exp.",
        SecurityTokenInvalidAudienceException =>
            $"The JWT's aud is '{string.Join("', '", token.Audiences)}', but it must be '{audience}'.",
        SecurityTokenInvalidIssuerException => $"The JWT's iss is '{token.Issuer}', but it must be the client_id '{lms.Options.ClientId}'.",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
            $"The JWT's signature does not verify with the tool's key '{token.Kid}'.",
        SecurityTokenInvalidAlgorithmException => "The JWT's alg must be RS256.",
        null => "The JWT is not valid.",
        _ => $"The JWT is not valid ({exception.GetType().Name}).",
    };
}

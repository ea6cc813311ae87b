using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Badges;

public enum VerificationOutcome
{
    /// <summary>Signed by a key the tool publishes, issued by this tool, not revoked.</summary>
    Valid,

    /// <summary>Authentic, but the district revoked it.</summary>
    Revoked,

    /// <summary>Not a credential this tool can vouch for: malformed, altered, wrong key or unknown issuer.</summary>
    Invalid,
}

/// <summary>The answer to "is this credential genuine?", in sentences for anyone (never a stack trace).</summary>
public sealed record VerificationResult(VerificationOutcome Outcome, string Message, Guid? BadgeId = null, string? Title = null, string? IssuerName = null,
    DateTimeOffset? IssuedAt = null, string? RevocationReason = null);

/// <summary>
/// Checks a VC-JWT the way any verifier would: RS256 signature by a key in the tool's published JWKS (found by kid),
/// the issuer is one of this tool's issuer profiles, the credential is one this tool issued, and its revocation status.
/// </summary>
public sealed class BadgeVerifier(AppDbContext db, ToolKeySet keys)
{
    public const int MaxLength = 64 * 1024;

    public async Task<VerificationResult> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        var text = token?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return Invalid("Paste a credential (the text of a .jwt file) or choose the file.");
        }

        if (text.Length > MaxLength)
        {
            return Invalid("This is too large to be a badge credential.");
        }

        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(text))
        {
            return Invalid("This is not a signed credential (VC-JWT). Paste the whole content of the .jwt file.");
        }

        var published = await keys.GetValidationKeysAsync(cancellationToken);
        var result = await handler.ValidateTokenAsync(text, new TokenValidationParameters
        {
            IssuerSigningKeys = published,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            TryAllIssuerSigningKeys = false,
            ValidateAudience = false,
            ValidateIssuer = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        });
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenSignatureKeyNotFoundException
                ? Invalid("This credential was not signed by a key this tool publishes. It may come from another issuer, or it was forged.")
                : Invalid("The signature does not match the content: this credential was altered after it was issued, or it is not genuine.");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject;
        }
        catch (JsonException)
        {
            payload = null;
        }

        var id = payload?["id"]?.GetValue<string>();
        var issuerId = (payload?["issuer"] as JsonObject)?["id"]?.GetValue<string>();
        if (payload is null || id is null || !id.StartsWith("urn:uuid:", StringComparison.Ordinal) || !Guid.TryParse(id["urn:uuid:".Length..], out var badgeId))
        {
            return Invalid("The signature is genuine but the content is not an Open Badges credential this tool issued.");
        }

        var badge = await db.IssuedBadges.AsNoTracking().SingleOrDefaultAsync(b => b.Id == badgeId, cancellationToken);
        // The issuer must be the one this tool put in the badge it stored (the tool's address may have changed since).
        var storedIssuer = badge is null ? null : (BadgeQueries.Payload(badge.Jwt)["issuer"] as JsonObject)?["id"]?.GetValue<string>();
        if (badge is null || issuerId is null || issuerId != storedIssuer || jwt.Issuer != issuerId)
        {
            return Invalid("The signature is genuine but this tool has no record of issuing this credential under that issuer.");
        }

        var issuerName = (payload["issuer"] as JsonObject)?["name"]?.GetValue<string>();
        return badge.RevokedAt is not null
            ? new VerificationResult(VerificationOutcome.Revoked, "This credential is genuine, but the issuer revoked it.", badge.Id, badge.Title, issuerName, badge.IssuedAt, badge.RevocationReason)
            : new VerificationResult(VerificationOutcome.Valid, "This credential is genuine: signed by the tool's published key, issued by the named issuer, and not revoked.",
                badge.Id, badge.Title, issuerName, badge.IssuedAt);
    }

    private static VerificationResult Invalid(string message) => new(VerificationOutcome.Invalid, message);
}

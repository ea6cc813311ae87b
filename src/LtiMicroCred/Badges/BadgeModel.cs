namespace LtiMicroCred.Badges;

/// <summary>What a badge certifies: one credential, or the completion of a stack or a pathway.</summary>
public enum BadgeKind
{
    Credential,
    Stack,
    Pathway,
}

/// <summary>How the earner's name shows on the public verification page (the signed credential never holds it).</summary>
public enum NameVisibility
{
    FullName,
    Initials,
    Hidden,
}

/// <summary>
/// An Open Badges 3.0 credential the tool issued: the signed VC-JWT is stored once and never changed, so every download
/// is the same bytes. Revocation and the earner's display choice live beside it, not in it.
/// </summary>
public sealed class IssuedBadge
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid EarnerId { get; set; }

    public BadgeKind Kind { get; set; }

    /// <summary>The credential, stack or pathway the badge is for.</summary>
    public Guid SourceId { get; set; }

    /// <summary>The award that issued it (for a stack or pathway: the award that completed it).</summary>
    public Guid DecisionId { get; set; }

    /// <summary>Makes issuing idempotent: one badge per award, one per earner and stack or pathway.</summary>
    public required string OnceKey { get; set; }

    public required string Title { get; set; }

    /// <summary>What the evidence was, never what it said: counts and criteria titles.</summary>
    public required string EvidenceSummary { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The compact VC-JWT as signed. Immutable.</summary>
    public required string Jwt { get; set; }

    /// <summary>The key that signed it (also in the JWT header).</summary>
    public required string Kid { get; set; }

    public NameVisibility Visibility { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public Guid? RevokedBy { get; set; }

    public string? RevocationReason { get; set; }
}

/// <summary>Who the district's badges name as issuer (defaults to the district's name when none is set). One row per district.</summary>
public sealed class BadgeIssuerSettings
{
    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public string? Url { get; set; }

    public string? Email { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The tool's public address, for the URLs a badge carries (product code has no HTTP request to ask).</summary>
public interface IPublicAddress
{
    Uri BaseUrl { get; }
}

/// <summary>The public URLs of badges, issuers and revocation lists: one place, so the pages and the credential agree.</summary>
public static class BadgeUrls
{
    public static string Base(IPublicAddress address) => address.BaseUrl.ToString().TrimEnd('/');

    public static string Badge(string baseUrl, Guid id) => $"{baseUrl}/badges/{id}";

    public static string Issuer(string baseUrl, Guid tenantId) => $"{baseUrl}/badges/issuers/{tenantId}";

    public static string Revocations(string baseUrl, Guid tenantId) => $"{baseUrl}/badges/issuers/{tenantId}/revocations";

    public static string CredentialId(Guid id) => $"urn:uuid:{id}";

    public static string AchievementId(string baseUrl, BadgeKind kind, Guid sourceId) => $"{baseUrl}/badges/achievements/{kind.ToString().ToLowerInvariant()}/{sourceId}";
}

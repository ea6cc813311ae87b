using System.Text.Json.Nodes;
using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Badges;

/// <summary>What anyone may see of a badge: the earner's name only as the earner chose, no evidence content.</summary>
public sealed record BadgePublicView(
    Guid Id,
    BadgeKind Kind,
    string Title,
    string Description,
    string Criteria,
    IReadOnlyList<string> Skills,
    double? Credits,
    string? EarnerName,
    string IssuerName,
    string? IssuerUrl,
    DateTimeOffset IssuedAt,
    string EvidenceSummary,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    string Jwt)
{
    public bool Revoked => RevokedAt is not null;
}

public sealed record MyBadge(Guid Id, BadgeKind Kind, string Title, DateTimeOffset IssuedAt, NameVisibility Visibility, bool Revoked);

public sealed record BadgeFilter(string? Earner = null, BadgeKind? Kind = null, bool? Revoked = null);

public sealed record DistrictBadgeRow(Guid Id, BadgeKind Kind, string Title, string EarnerName, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string? RevocationReason);

public sealed record BadgeIssuerView(string Name, string? Url, string? Email, bool IsDefault);

public sealed class BadgeQueries(AppDbContext db, IPublicAddress address)
{
    public const int PageSize = 200;

    /// <summary>Public: no actor. Null when there is no such badge.</summary>
    public async Task<BadgePublicView?> PublicAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await (from b in db.IssuedBadges
                         join p in db.People on b.EarnerId equals p.Id
                         where b.Id == id
                         select new { Badge = b, p.Name }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var badge = row.Badge;
        var credential = Payload(badge.Jwt);
        var issuer = credential["issuer"] as JsonObject;
        var achievement = credential["credentialSubject"]?["achievement"] as JsonObject;
        var skills = (achievement?["alignment"] as JsonArray)?.Select(a => $"{a?["targetFramework"]?.GetValue<string>()} {a?["targetCode"]?.GetValue<string>()}: {a?["targetName"]?.GetValue<string>()}").ToList() ?? [];
        return new BadgePublicView(badge.Id, badge.Kind, badge.Title,
            achievement?["description"]?.GetValue<string>() ?? string.Empty,
            achievement?["criteria"]?["narrative"]?.GetValue<string>() ?? string.Empty,
            skills,
            credential["credentialSubject"]?["creditsEarned"]?.GetValue<double>(),
            Shown(row.Name, badge.Visibility),
            issuer?["name"]?.GetValue<string>() ?? string.Empty,
            issuer?["url"]?.GetValue<string>(),
            badge.IssuedAt, badge.EvidenceSummary, badge.RevokedAt, badge.RevocationReason, badge.Jwt);
    }

    /// <summary>The stored VC-JWT, exactly as signed. Null when there is no such badge.</summary>
    public Task<string?> JwtAsync(Guid id, CancellationToken cancellationToken) =>
        db.IssuedBadges.AsNoTracking().Where(b => b.Id == id).Select(b => b.Jwt).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<MyBadge>> MineAsync(Actor actor, CancellationToken cancellationToken) =>
        await db.IssuedBadges.AsNoTracking()
            .Where(b => b.TenantId == actor.TenantId && b.EarnerId == actor.PersonId)
            .OrderByDescending(b => b.IssuedAt)
            .Select(b => new MyBadge(b.Id, b.Kind, b.Title, b.IssuedAt, b.Visibility, b.RevokedAt != null))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<DistrictBadgeRow>> DistrictAsync(Actor actor, BadgeFilter filter, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var query = from b in db.IssuedBadges
                    join p in db.People on b.EarnerId equals p.Id
                    where b.TenantId == actor.TenantId
                    select new { b, p.Name };
        if (!string.IsNullOrWhiteSpace(filter.Earner))
        {
            var name = filter.Earner.Trim().ToLowerInvariant();
            // EF translates ToLower().Contains to SQL on every provider; the StringComparison overloads it does not.
#pragma warning disable CA1862
            query = query.Where(x => x.Name.ToLower().Contains(name));
#pragma warning restore CA1862
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(x => x.b.Kind == kind);
        }

        if (filter.Revoked is { } revoked)
        {
            query = revoked ? query.Where(x => x.b.RevokedAt != null) : query.Where(x => x.b.RevokedAt == null);
        }

        return await query.AsNoTracking().OrderByDescending(x => x.b.IssuedAt).Take(PageSize)
            .Select(x => new DistrictBadgeRow(x.b.Id, x.b.Kind, x.b.Title, x.Name, x.b.IssuedAt, x.b.RevokedAt, x.b.RevocationReason))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One badge of the admin's district (another district's: not found).</summary>
    public async Task<DistrictBadgeRow> ForAdminAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        return await (from b in db.IssuedBadges
                      join p in db.People on b.EarnerId equals p.Id
                      where b.Id == id && b.TenantId == actor.TenantId
                      select new DistrictBadgeRow(b.Id, b.Kind, b.Title, p.Name, b.IssuedAt, b.RevokedAt, b.RevocationReason))
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such badge in your district.");
    }

    public async Task<BadgeIssuerView> IssuerAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.BadgeIssuerSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        return settings is not null
            ? new BadgeIssuerView(settings.Name, settings.Url, settings.Email, false)
            : new BadgeIssuerView(await db.Tenants.AsNoTracking().Where(t => t.Id == actor.TenantId).Select(t => t.Name).SingleAsync(cancellationToken), null, null, true);
    }

    /// <summary>The issuer's OB 3.0 Profile, public. Null when the district is unknown.</summary>
    public async Task<JsonObject?> IssuerProfileAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        var settings = await db.BadgeIssuerSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        var baseUrl = BadgeUrls.Base(address);
        var profile = new JsonObject
        {
            ["@context"] = new JsonArray(BadgeCredential.VcContext, BadgeCredential.ObContext),
            ["id"] = BadgeUrls.Issuer(baseUrl, tenantId),
            ["type"] = new JsonArray("Profile"),
            ["name"] = settings?.Name ?? tenant,
        };
        if (settings?.Url is { } url)
        {
            profile["url"] = url;
        }

        if (settings?.Email is { } email)
        {
            profile["email"] = email;
        }

        return profile;
    }

    /// <summary>The 1EdTechRevocationList of the district's badges, public. Null when the district is unknown.</summary>
    public async Task<JsonObject?> RevocationListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            return null;
        }

        var revoked = await db.IssuedBadges.AsNoTracking().Where(b => b.TenantId == tenantId && b.RevokedAt != null)
            .OrderBy(b => b.Id).Select(b => new { b.Id, b.RevocationReason }).ToListAsync(cancellationToken);
        var baseUrl = BadgeUrls.Base(address);
        return new JsonObject
        {
            ["id"] = BadgeUrls.Revocations(baseUrl, tenantId),
            ["issuer"] = BadgeUrls.Issuer(baseUrl, tenantId),
            ["revokedCredentials"] = new JsonArray([.. revoked.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = BadgeUrls.CredentialId(r.Id),
                ["revocationReason"] = r.RevocationReason,
            })]),
        };
    }

    /// <summary>A skill a badge aligns to (the alignment's targetUrl), public. Null when unknown.</summary>
    public async Task<JsonObject?> SkillAsync(Guid tenantId, Guid skillId, CancellationToken cancellationToken)
    {
        var skill = await (from s in db.Skills
                           join f in db.SkillFrameworks on s.FrameworkId equals f.Id
                           where s.Id == skillId && f.TenantId == tenantId
                           select new { s.Code, s.Name, Framework = f.Name }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return skill is null ? null : new JsonObject { ["targetFramework"] = skill.Framework, ["targetCode"] = skill.Code, ["targetName"] = skill.Name };
    }

    public static JsonObject Payload(string jwt) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1])) as JsonObject ?? throw new InvalidOperationException("A stored badge is not a JWT.");

    public static string? Shown(string name, NameVisibility visibility) => visibility switch
    {
        NameVisibility.FullName => name,
        NameVisibility.Initials => string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + ".")),
        _ => null,
    };
}

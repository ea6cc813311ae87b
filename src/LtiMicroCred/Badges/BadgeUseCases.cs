using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Badges;

/// <summary>
/// A district admin revokes a badge of their district with a reason (public: it is shown on the verification page and
/// in the revocation list). Audited. Once revoked, a badge stays revoked.
/// </summary>
public sealed class RevokeBadge(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    public async Task HandleAsync(Actor actor, Guid badgeId, string? reason, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var badge = await db.IssuedBadges.SingleOrDefaultAsync(b => b.Id == badgeId && b.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such badge in your district.");
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw InvalidInputException.For("reason", "Say why the badge is revoked: the reason is shown to anyone who checks it.");
        }

        if (text.Length > MaxReasonLength)
        {
            throw InvalidInputException.For("reason", $"Keep the reason under {MaxReasonLength} characters.");
        }

        if (badge.RevokedAt is not null)
        {
            throw new RuleViolationException("This badge is already revoked.");
        }

        badge.RevokedAt = time.GetUtcNow();
        badge.RevokedBy = actor.PersonId;
        badge.RevocationReason = text;
        audit.Record(actor, "badge.revoked", "badge", badge.Id, $"Revoked \"{badge.Title}\": {text}");
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The earner chooses how their name shows on the public page of their own badge.</summary>
public sealed class SetBadgeVisibility(AppDbContext db)
{
    public async Task HandleAsync(Actor actor, Guid badgeId, NameVisibility visibility, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(visibility))
        {
            throw InvalidInputException.For("visibility", "Choose how your name shows.");
        }

        var badge = await db.IssuedBadges.SingleOrDefaultAsync(b => b.Id == badgeId && b.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such badge.");
        if (badge.EarnerId != actor.PersonId)
        {
            throw new ForbiddenException("Only the earner chooses how their name shows on a badge.");
        }

        badge.Visibility = visibility;
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The district admin names the issuer new badges carry (badges already issued keep theirs: they are signed).</summary>
public sealed class SetBadgeIssuer(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, string? name, string? url, string? email, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var errors = new Dictionary<string, string>();
        var n = name?.Trim() ?? string.Empty;
        if (n.Length is 0 or > 200)
        {
            errors["name"] = "Enter the issuing organisation's name (up to 200 characters).";
        }

        var u = string.IsNullOrWhiteSpace(url) ? null : url.Trim();
        if (u is not null && (u.Length > 500 || !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            errors["url"] = "Enter the organisation's web address starting with https://, or leave it empty.";
        }

        var e = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (e is not null && (e.Length > 200 || !System.Net.Mail.MailAddress.TryCreate(e, out _)))
        {
            errors["email"] = "Enter a contact email address such as badges@district.org, or leave it empty.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var settings = await db.BadgeIssuerSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        if (settings is null)
        {
            settings = new BadgeIssuerSettings { TenantId = actor.TenantId, Name = n };
            db.BadgeIssuerSettings.Add(settings);
        }

        settings.Name = n;
        settings.Url = u;
        settings.Email = e;
        settings.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, "policy.changed", "district", actor.TenantId, $"Badge issuer: {n}");
        await db.SaveChangesAsync(cancellationToken);
    }
}

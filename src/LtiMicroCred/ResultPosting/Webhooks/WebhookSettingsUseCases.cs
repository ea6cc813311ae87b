using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.ResultPosting.Webhooks;

/// <summary>What the district admin sees of the webhook: never the secret, only whether one is stored.</summary>
public sealed record WebhookSettingsView(string? Url, bool Enabled, bool HasSecret);

public sealed class WebhookQueries(AppDbContext db)
{
    public async Task<WebhookSettingsView> GetAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.WebhookSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        return settings is null ? new WebhookSettingsView(null, false, false) : new WebhookSettingsView(settings.Url, settings.Enabled, settings.SecretCiphertext.Length > 0);
    }
}

/// <summary>
/// The district admin sets the PD-system webhook: its address (https; plain http only for a loopback receiver), a new
/// signing secret (empty keeps the stored one) and whether it is on. Audited without the secret.
/// </summary>
public sealed class SetWebhookSettings(AppDbContext db, AuditLog audit, WebhookSecrets secrets, TimeProvider time)
{
    public const int MinSecretLength = 16;

    public async Task HandleAsync(Actor actor, string? url, string? secret, bool enabled, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.WebhookSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        var errors = new Dictionary<string, string>();
        var address = url?.Trim() ?? string.Empty;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            errors["url"] = "Enter the full https address the PD system gave you, such as https://pd.example.org/hooks/microcredentials.";
        }
        else if (address.Length > 2000)
        {
            errors["url"] = "Keep the address under 2000 characters.";
        }

        var newSecret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim();
        if (newSecret is { Length: < MinSecretLength or > 500 })
        {
            errors["secret"] = $"Use a secret of at least {MinSecretLength} characters (up to 500), as the PD system gave it.";
        }
        else if (newSecret is null && settings is null)
        {
            errors["secret"] = "Enter the signing secret the PD system gave you.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        if (settings is null)
        {
            settings = new WebhookSettings { TenantId = actor.TenantId, Url = address, SecretCiphertext = secrets.Protect(newSecret!) };
            db.WebhookSettings.Add(settings);
        }

        settings.Url = address;
        if (newSecret is not null)
        {
            settings.SecretCiphertext = secrets.Protect(newSecret);
        }

        settings.Enabled = enabled;
        settings.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, "policy.changed", "district", actor.TenantId,
            $"PD-system webhook {(enabled ? "on" : "off")}: {uri!.GetLeftPart(UriPartial.Path)}{(newSecret is null ? string.Empty : "; new signing secret")}");
        await db.SaveChangesAsync(cancellationToken);
    }
}

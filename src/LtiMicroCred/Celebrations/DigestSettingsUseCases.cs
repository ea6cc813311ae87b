using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Celebrations;

public sealed record DigestSettingsView(DigestFrequency Frequency, DayOfWeek Day, int Hour, DateTimeOffset? LastSentAt);

public sealed class DigestSettingsQueries(AppDbContext db)
{
    public async Task<DigestSettingsView> GetAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.DigestSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken) ?? new DigestSettings();
        var last = await db.DigestRuns.AsNoTracking().Where(r => r.TenantId == actor.TenantId).OrderByDescending(r => r.PeriodStart)
            .Select(r => (DateTimeOffset?)r.SentAt).FirstOrDefaultAsync(cancellationToken);
        return new DigestSettingsView(settings.Frequency, settings.Day, settings.Hour, last);
    }
}

/// <summary>A district admin sets the leaders' digest: off, weekly on a day, or daily, at an hour (UTC). Audited.</summary>
public sealed class SetDigestSettings(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, DigestFrequency frequency, DayOfWeek day, int hour, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var errors = new Dictionary<string, string>();
        if (!Enum.IsDefined(frequency))
        {
            errors["frequency"] = "Choose off, weekly or daily.";
        }

        if (!Enum.IsDefined(day))
        {
            errors["day"] = "Choose a day of the week.";
        }

        if (hour is < 0 or > 23)
        {
            errors["hour"] = "Choose an hour from 0 to 23.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var settings = await db.DigestSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        if (settings is null)
        {
            settings = new DigestSettings { TenantId = actor.TenantId };
            db.DigestSettings.Add(settings);
        }

        (settings.Frequency, settings.Day, settings.Hour, settings.UpdatedAt) = (frequency, day, hour, time.GetUtcNow());
        var at = hour.ToString("00", CultureInfo.InvariantCulture) + ":00 UTC";
        audit.Record(actor, "policy.changed", "district", actor.TenantId, frequency switch
        {
            DigestFrequency.Weekly => $"Leaders' digest weekly on {day} at {at}",
            DigestFrequency.Daily => $"Leaders' digest daily at {at}",
            _ => "Leaders' digest off",
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

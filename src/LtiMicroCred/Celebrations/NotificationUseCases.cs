using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Celebrations;

public sealed record NotificationRow(Guid Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, bool Read);

public sealed record NotificationsView(IReadOnlyList<NotificationRow> Items, int Unread, int Page, bool HasNext, bool EmailEnabled, bool HasEmail, bool EmailConfigured);

/// <summary>A person's own notifications, newest first, paged; nobody sees anyone else's.</summary>
public sealed class NotificationQueries(AppDbContext db, IOptions<EmailOptions> email)
{
    public const int PageSize = 20;

    public async Task<NotificationsView> ListAsync(Actor actor, int page, CancellationToken cancellationToken)
    {
        page = Math.Clamp(page, 1, 10_000);
        var mine = db.Notifications.AsNoTracking().Where(n => n.RecipientId == actor.PersonId && n.TenantId == actor.TenantId);
        var rows = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .Select(n => new NotificationRow(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
        var unread = await UnreadAsync(actor.TenantId, actor.PersonId, cancellationToken);
        var enabled = await db.NotificationPreferences.AsNoTracking().Where(p => p.PersonId == actor.PersonId).Select(p => (bool?)p.EmailEnabled).SingleOrDefaultAsync(cancellationToken) ?? true;
        var hasEmail = await db.People.AsNoTracking().AnyAsync(p => p.Id == actor.PersonId && p.Email != null && p.Email != "", cancellationToken);
        return new NotificationsView(rows.Take(PageSize).ToList(), unread, page, rows.Count > PageSize, enabled, hasEmail, email.Value.Enabled);
    }

    // On every page (the navigation), so compiled once per model (see PerModelQuery).
    private static readonly PerModelQuery<Func<AppDbContext, Guid, Guid, CancellationToken, Task<int>>> CountUnread = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid tenantId, Guid personId, CancellationToken _) =>
            db.Notifications.Count(n => n.RecipientId == personId && n.ReadAt == null && n.TenantId == tenantId)));

    /// <summary>The count in the navigation on every page: one read of the (recipient, read at) index.</summary>
    public Task<int> UnreadAsync(Guid tenantId, Guid personId, CancellationToken cancellationToken) =>
        CountUnread.For(db)(db, tenantId, personId, cancellationToken);
}

/// <summary>A person marks one of their notifications, or all of them, as read. Another person's is not found.</summary>
public sealed class MarkNotificationsRead(AppDbContext db, TimeProvider time)
{
    public async Task OneAsync(Actor actor, Guid notificationId, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == notificationId && n.RecipientId == actor.PersonId && n.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That notification is not among yours.");
        notification.ReadAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<int> AllAsync(Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Notifications.Where(n => n.RecipientId == actor.PersonId && n.TenantId == actor.TenantId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }
}

/// <summary>A person turns the emails that copy their notifications on or off (their own choice only).</summary>
public sealed class SetEmailPreference(AppDbContext db, TimeProvider time)
{
    public async Task HandleAsync(Actor actor, bool enabled, CancellationToken cancellationToken)
    {
        var preference = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.PersonId == actor.PersonId, cancellationToken);
        if (preference is null)
        {
            preference = new NotificationPreference { PersonId = actor.PersonId, TenantId = actor.TenantId };
            db.NotificationPreferences.Add(preference);
        }

        preference.EmailEnabled = enabled;
        preference.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}

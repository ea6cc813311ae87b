using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Celebrations;

/// <summary>A notification to write: to whom, what, and where in the tool it leads.</summary>
public sealed record NotificationDraft(Guid RecipientId, string Kind, string Title, string Body, string? Link);

/// <summary>The outbox payload of an email: the notification's id only; the handler reads the address when it sends.</summary>
public sealed record EmailPayload(Guid NotificationId);

/// <summary>
/// Adds notifications to the caller's unit of work and, when email is configured, one "email.send" outbox message for
/// each recipient who has an address and has not turned email off. Nothing is saved here.
/// </summary>
public sealed class NotificationWriter(AppDbContext db, LtiMicroCred.Outbox.Outbox outbox, IOptions<EmailOptions> email, TimeProvider time)
{
    public const string EmailKind = "email.send";

    public async Task<IReadOnlyList<Notification>> AddAsync(Guid tenantId, IReadOnlyCollection<NotificationDraft> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var emailable = new HashSet<Guid>();
        if (email.Value.Enabled)
        {
            var ids = drafts.Select(d => d.RecipientId).Distinct().ToList();
            var withAddress = await db.People.AsNoTracking().Where(p => p.TenantId == tenantId && ids.Contains(p.Id) && p.Email != null && p.Email != "")
                .Select(p => p.Id).ToListAsync(cancellationToken);
            var off = await db.NotificationPreferences.AsNoTracking().Where(p => ids.Contains(p.PersonId) && !p.EmailEnabled)
                .Select(p => p.PersonId).ToListAsync(cancellationToken);
            emailable.UnionWith(withAddress.Except(off));
        }

        var added = new List<Notification>();
        foreach (var draft in drafts)
        {
            var notification = new Notification
            {
                Id = Guid.NewGuid(),
                TenantId = tenantId,
                RecipientId = draft.RecipientId,
                Kind = draft.Kind,
                Title = Cut(draft.Title, 200),
                Body = Cut(draft.Body, 4000),
                Link = draft.Link,
                CreatedAt = now,
            };
            db.Notifications.Add(notification);
            added.Add(notification);
            if (emailable.Contains(draft.RecipientId))
            {
                outbox.Enqueue(tenantId, EmailKind, new EmailPayload(notification.Id));
            }
        }

        return added;
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}

/// <summary>
/// Sends an "email.send" message: the notification as plain text with an HTML alternative, to the recipient's address
/// as it is when sending. The Message-Id comes from the outbox event id, so a repeat is the same message. A recipient
/// who has since lost their address or turned email off gets nothing (the message is done, not failed).
/// </summary>
public sealed class EmailOutboxHandler(AppDbContext db, IEmailSender sender) : IOutboxHandler
{
    public const string Footer = "You receive this because you take part in your district's microcredential programme. Open the microcredentials tool from your course to see it, or to turn these emails off on your notifications page.";

    public string Kind => NotificationWriter.EmailKind;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.PayloadAs<EmailPayload>();
        var notification = await db.Notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == payload.NotificationId && n.TenantId == message.TenantId, cancellationToken)
            ?? throw new InvalidOperationException("The notification of this email no longer exists.");
        var recipient = await db.People.AsNoTracking().Where(p => p.Id == notification.RecipientId).Select(p => new { p.Name, p.Email }).SingleAsync(cancellationToken);
        var enabled = await db.NotificationPreferences.AsNoTracking().Where(p => p.PersonId == notification.RecipientId).Select(p => (bool?)p.EmailEnabled).SingleOrDefaultAsync(cancellationToken) ?? true;
        if (string.IsNullOrWhiteSpace(recipient.Email) || !enabled)
        {
            return;
        }

        var text = notification.Body + "\n\n--\n" + Footer + "\n";
        await sender.SendAsync(new EmailMessage(
            MessageIdFor(message.EventId), recipient.Email, recipient.Name, notification.Title, text, EmailMime.Html(notification.Title, notification.Body, Footer)), cancellationToken);
    }

    public static string MessageIdFor(Guid eventId) => $"{eventId:N}@ltimicrocred.invalid";
}
